using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Build.Tests;

/// <summary>
/// A real trace, recorded the way ProfilingKit's targets record a test host: tests/TestApps/AllocatingApp
/// run with EventPipe's environment variables (a file session with rundown), allocating a known
/// amount in a known method. Recorded once per test run.
/// </summary>
public class RecordedTrace : IDisposable
{
    public const string KnownMethod = "AllocatingApp.KnownAllocations.Run";

    /// <summary>The configuration build/ProfilingKit.targets gives the test host (keep the two alike).</summary>
    public const string EventPipeConfig = "Microsoft-Windows-DotNETRuntime:0x80000020018:5";

    public RecordedTrace()
        : this(EventPipeConfig, new Dictionary<string, string>())
    {
    }

    /// <summary>Records with another configuration, more environment variables and more app arguments.</summary>
    protected RecordedTrace(string eventPipeConfig, IDictionary<string, string> environment, params string[] arguments)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("profilingkit-build-tests-").FullName;
        TraceDirectory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "trace")).FullName;

        var startInfo = new ProcessStartInfo("dotnet");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll"));
        startInfo.ArgumentList.Add("off");
        startInfo.ArgumentList.Add("40");
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        startInfo.Environment["PROFILINGKIT_PPROF_ADDRESS"] = "off";
        startInfo.Environment["DOTNET_EnableEventPipe"] = "1";
        startInfo.Environment["DOTNET_EventPipeConfig"] = eventPipeConfig;
        foreach (var (name, value) in environment) startInfo.Environment[name] = value;
        startInfo.Environment["DOTNET_EventPipeOutputPath"] = Path.Combine(TraceDirectory, "app_{pid}.nettrace");
        using var process = new RunningProcess(startInfo);
        var timeout = TimeSpan.FromSeconds(60);
        process.ReadLine(timeout); // not listening
        process.ReadLine(timeout); // not sampling
        AllocatedBytes = long.Parse(process.ReadLine(timeout).Substring("allocated ".Length), CultureInfo.InvariantCulture);
        Assert.Equal(0, process.Exit());

        TracePath = System.IO.Directory.GetFiles(TraceDirectory, "*.nettrace").Single();
    }

    /// <summary>A temporary folder for the test's files, deleted at the end.</summary>
    public string Directory { get; }

    public string TraceDirectory { get; }

    public string TracePath { get; }

    /// <summary>The bytes the known method allocated, as the runtime counted them.</summary>
    public long AllocatedBytes { get; }

    /// <summary>The line of AllocatingApp's Program.cs that allocates.</summary>
    public static int AllocatingLine(string programPath) =>
        Array.FindIndex(File.ReadAllLines(programPath), line => line.Contains("Sink = new byte[1000];", StringComparison.Ordinal)) + 1;

    /// <summary>A new folder holding a copy of the trace's first <paramref name="length"/> bytes (all when null).</summary>
    public string CopyTrace(int? length = null)
    {
        var directory = System.IO.Directory.CreateDirectory(Path.Combine(Directory, Guid.NewGuid().ToString("N"))).FullName;
        var bytes = File.ReadAllBytes(TracePath);
        File.WriteAllBytes(Path.Combine(directory, "host_1.nettrace"), bytes.AsSpan(0, length ?? bytes.Length).ToArray());
        return directory;
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the run.
        }
    }
}
