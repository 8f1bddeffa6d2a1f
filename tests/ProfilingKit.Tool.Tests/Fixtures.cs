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

    public static readonly Frame Alloc = new("MyApp.Worker.Alloc", "/src/MyApp/Worker.cs", 45);
    public static readonly Frame RunCallingAlloc = new("MyApp.Worker.Run", "/src/MyApp/Worker.cs", 21);
    public static readonly Frame RunCallingConcat = new("MyApp.Worker.Run", "/src/MyApp/Worker.cs", 22);
    public static readonly Frame Parse = new("MyApp.Json.Parse", "/src/MyApp/Json.cs", 7);
    public static readonly Frame Recurse = new("MyApp.Tree.Walk", "/src/MyApp/Tree.cs", 12);

    /// <summary>A frame whose code runs two methods the JIT inlined into it (pprof: several Lines in one Location).</summary>
    public static readonly Frame ParseWithInlining = new("MyApp.Json.Parse", "/src/MyApp/Json.cs", 9,
        [new Frame("MyApp.Json.ReadToken", "/src/MyApp/Json.cs", 30), new Frame("MyApp.Json.Peek", "/src/MyApp/Json.cs", 40)]);

    /// <summary>
    /// A richer allocs profile: recursion, inlined frames, string and numeric labels, values that
    /// make pprof round ties (1152 bytes is 1.125kB) and a tail of small functions for the node fraction.
    /// Values: alloc_objects, alloc_space, inuse_objects, inuse_space.
    /// </summary>
    public static Profile Allocations(double scale = 1.0)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll")
            .SetPeriod(ProfileTypes.MemoryPeriod, 524288)
            .SetDefaultSampleType(ProfileTypes.AllocSpace)
            .SetTime(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero))
            .SetDuration(TimeSpan.FromSeconds(30))
            .AddComment("dotnet-pprof test fixture");
        long S(long v) => (long)(v * scale);
        SampleLabel[] Labels(string thread, long? bytes = null) => bytes is { } b
            ? [SampleLabel.String("thread", thread), SampleLabel.Numeric("bytes", b, "bytes")]
            : [SampleLabel.String("thread", thread)];
        builder.AddSample([Alloc, RunCallingAlloc, Main], [10, S(1_000_000), 2, 200_000], Labels("worker-1", 100_000));
        builder.AddSample([Concat, RunCallingConcat, Main], [20, S(250_000), 0, 0], Labels("worker-2", 12_500));
        builder.AddSample([Run, Main], [1, 1_152, 1, 1_152], Labels("worker-1"));
        builder.AddSample([Alloc, RunCallingAlloc, Main], [3, S(300_000), 1, 100_000], Labels("worker-2", 100_000));
        builder.AddSample([Concat, ParseWithInlining, Main], [7, 70_000, 3, 30_000], Labels("worker-3", 10_000));
        builder.AddSample([Recurse, Recurse, Recurse, Parse, Main], [5, 50_000, 5, 50_000], Labels("worker-3", 10_000));
        for (var i = 0; i < 12; i++)
        {
            builder.AddSample([new Frame($"MyApp.Tail.F{i:00}", "/src/MyApp/Tail.cs", 100 + i), Main], [1, 900 + 37 * i, 0, 0], Labels("worker-4"));
        }

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
