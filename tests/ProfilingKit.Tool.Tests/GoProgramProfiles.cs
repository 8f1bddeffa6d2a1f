using System.Diagnostics;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// Heap and CPU profiles written by a real Go program (GoProgram/main.go: two allocating functions,
/// two CPU burners under pprof labels), built with the installed Go outside any module, once per run.
/// </summary>
public sealed class GoProgramProfiles : IDisposable
{
    public GoProgramProfiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "pk-goprogram-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var source = Path.Combine(Directory, "main.go");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "GoProgram", "main.go"), source);

        var build = Go(Directory, "build", "-o", "goprogram", "main.go");
        if (build.ExitCode != 0) throw new InvalidOperationException("go build failed:\n" + build);
        var run = ToolProcess.Run("goprogram", new ProcessStartInfo(Path.Combine(Directory, "goprogram")) { ArgumentList = { Directory } }, TimeSpan.FromSeconds(60));
        if (run.ExitCode != 0) throw new InvalidOperationException("the Go program failed:\n" + run);
    }

    public string Directory { get; }

    public string Heap => Path.Combine(Directory, "heap.pb.gz");

    public string Cpu => Path.Combine(Directory, "cpu.pb.gz");

    public string Source => Path.Combine(Directory, "main.go");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the run.
        }
    }

    private static ToolResult Go(string directory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(GoPprof.GoExecutable) { WorkingDirectory = directory };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        startInfo.Environment["GOTOOLCHAIN"] = "local";
        startInfo.Environment["GO111MODULE"] = "off";
        startInfo.Environment.Remove("GOFLAGS");
        return ToolProcess.Run("go", startInfo, TimeSpan.FromMinutes(3));
    }
}
