using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Tool.Tests;

/// <summary>Small profiles built in the test, so their numbers come from the same samples the assertions use.</summary>
internal static class Fixtures
{
    public static readonly Frame Main = new("Program.Main", "Program.cs", 10);
    public static readonly Frame Run = new("MyApp.Worker.Run", "Worker.cs", 20);
    public static readonly Frame Concat = new("System.String.Concat");

    /// <summary>An allocs-shaped profile: 1,000,000 bytes in Concat under Run, 4,096 in Run itself.</summary>
    public static Profile SmallAllocs()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll")
            .SetPeriod(ProfileTypes.MemoryPeriod, 524288)
            .SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample([Concat, Run, Main], [10, 1_000_000, 0, 0]);
        builder.AddSample([Run, Main], [1, 4_096, 1, 4_096]);
        return builder.Build();
    }

    public static byte[] SmallAllocsGzip() => ProfileSerializer.ToGzipBytes(SmallAllocs());

    /// <summary>Writes the bytes to a file of their own under the test's temp folder; returns its path.</summary>
    public static string WriteFile(byte[] bytes, string name = "profile.pb.gz")
    {
        var directory = Path.Combine(Path.GetTempPath(), "pk-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
