using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// Traces recorded by the real <c>dotnet-trace collect</c> of tests/TestApps/AllocatingApp, the way a user
/// records one: dotnet-trace starts the app (<c>-- dotnet AllocatingApp.dll</c>) and ends the trace, with
/// its rundown, when the app exits. Each is recorded once per test run, when a test first asks for it.
/// </summary>
public sealed class DotnetTraceRecordings : IDisposable
{
    public const string KnownMethod = "AllocatingApp.KnownAllocations.Run";
    public const string BurningMethod = "AllocatingApp.BusyWork.BurnCpu";
    public const string SeventyPercentMethod = "AllocatingApp.BusyWork.SeventyPercent";
    public const string ContendingMethod = "AllocatingApp.BusyWork.ContendForLock";

    /// <summary>How many megabytes the known method allocates in the allocation trace: about 2,000 samples, so the estimate is within a few percent.</summary>
    public const int AllocatedMegabytes = 200;

    private readonly Lazy<Recording> _allocations;
    private readonly Lazy<Recording> _cpu;
    private readonly Lazy<Recording> _contention;
    private readonly Lazy<Recording> _loaderOnly;
    private readonly Lazy<Recording> _gcVerbose;

    public DotnetTraceRecordings()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("profilingkit-tool-tests-").FullName;
        // AllocationSampled as a user asks for it; the app's known method allocates, then it exits.
        _allocations = new(() => Record("allocs", ["--clrevents", "allocationsampling"], [AllocatedMegabytes.ToString(CultureInfo.InvariantCulture)], TimeSpan.Zero));
        // dotnet-trace's default providers (dotnet-common and dotnet-sampled-thread-time): the app's busy threads for three seconds.
        _cpu = new(() => Record("cpu", [], ["1", "busy"], TimeSpan.FromSeconds(3)));
        _contention = new(() => Record("contention", ["--clrevents", "contention"], ["1", "busy"], TimeSpan.FromSeconds(2)));
        // Loader events only: a real trace with none of the events a profile is made of.
        _loaderOnly = new(() => Record("loader", ["--providers", "Microsoft-Windows-DotNETRuntime:0x8:4"], ["1"], TimeSpan.Zero));
        // dotnet-trace's gc-verbose: GCAllocationTick, not AllocationSampled.
        _gcVerbose = new(() => Record("gcverbose", ["--profile", "gc-verbose"], ["5"], TimeSpan.Zero));
    }

    /// <summary>A temporary folder for the recordings and the tests' outputs, deleted at the end.</summary>
    public string Directory { get; }

    public Recording Allocations => _allocations.Value;

    public Recording Cpu => _cpu.Value;

    public Recording Contention => _contention.Value;

    public Recording LoaderOnly => _loaderOnly.Value;

    public Recording GcVerbose => _gcVerbose.Value;

    /// <summary>A new empty folder under <see cref="Directory"/>.</summary>
    public string NewFolder() => System.IO.Directory.CreateDirectory(Path.Combine(Directory, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A copy of <paramref name="recording"/>'s trace in a new folder, cut to its first <paramref name="length"/> bytes (all when null).</summary>
    public string CopyTrace(Recording recording, int? length = null, string name = "copy.nettrace")
    {
        var bytes = File.ReadAllBytes(recording.TracePath);
        var path = Path.Combine(NewFolder(), name);
        File.WriteAllBytes(path, bytes.AsSpan(0, length ?? bytes.Length).ToArray());
        return path;
    }

    private Recording Record(string name, string[] traceArguments, string[] appArguments, TimeSpan busyFor)
    {
        var tracePath = Path.Combine(NewFolder(), $"AllocatingApp_{name}.nettrace");
        var startInfo = new ProcessStartInfo(DotnetTrace.Executable);
        // --show-child-io: the app's stdout is dotnet-trace's, and closing dotnet-trace's stdin ends the app.
        foreach (var argument in (string[])["collect", "--show-child-io", "-o", tracePath, .. traceArguments, "--", "dotnet", Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll"), "off", .. appArguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PROFILINGKIT_PPROF_ADDRESS"] = "off";
        using var process = new RunningProcess(startInfo);
        var timeout = TimeSpan.FromSeconds(90);
        string line;
        do
        {
            line = process.ReadLine(timeout); // dotnet-trace's own lines, then the app's "not listening", "not sampling"
        }
        while (!line.StartsWith("allocated ", StringComparison.Ordinal));

        var allocated = long.Parse(line.Substring("allocated ".Length), CultureInfo.InvariantCulture);
        Thread.Sleep(busyFor);
        Assert.True(process.Exit() == 0, $"dotnet-trace failed: {process.StandardError}");
        Assert.True(File.Exists(tracePath), $"dotnet-trace wrote no {tracePath}: {process.StandardError}");
        return new Recording(tracePath, allocated);
    }

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

    /// <summary>One trace, and the bytes the app says its known method allocated.</summary>
    public sealed record Recording(string TracePath, long AllocatedBytes);
}
