using System.Diagnostics;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>Runs tests/TestApps/CpuTruthApp at one workload: threads at known work whose CPU clocks the tests read from outside.</summary>
internal sealed class CpuTruthAppProcess : IDisposable
{
    public const string BurnA = "CpuTruthApp.Work.BurnA";
    public const string BurnB = "CpuTruthApp.Work.BurnB";
    public const string Park = "CpuTruthApp.Work.Park";
    public const string ComputeOne = "CpuTruthApp.Work.ComputeOne";
    public const string ComputeTwo = "CpuTruthApp.Work.ComputeTwo";
    public const string Chunk = "CpuTruthApp.Work.Chunk";
    public const string Stamps = "CpuTruthApp.Work.Stamps";
    public const string GetTimestamp = "System.Diagnostics.Stopwatch.GetTimestamp";
    public const string Sleep = "System.Threading.Thread.Sleep";

    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(60);
    private readonly RunningProcess _process;

    private CpuTruthAppProcess(RunningProcess process)
    {
        _process = process;
        var listening = process.ReadLine(ReportTimeout);
        if (!listening.StartsWith("listening ", StringComparison.Ordinal)) throw new InvalidOperationException(listening + process.StandardError);

        ProfilesUrl = listening["listening ".Length..];
        if (process.ReadLine(ReportTimeout) != "ready") throw new InvalidOperationException(process.StandardError);
    }

    public int Id => _process.Id;

    public string ProfilesUrl { get; }

    public string Url(string path) => ProfilesUrl.TrimEnd('/') + "/" + path;

    /// <summary>User-space CPU nanoseconds so far of the app's threads with these names (<see cref="ProcCpuTime.UserTimeOfThreads"/>).</summary>
    public Dictionary<string, long> ThreadCpuNanos(params string[] threadNames) => ProcCpuTime.UserTimeOfThreads(_process.Id, threadNames);

    /// <param name="workload">bursts, pinvoke or timestamp (see the app's usage).</param>
    public static CpuTruthAppProcess Start(string workload, IReadOnlyDictionary<string, string>? environment = null)
    {
        // On one core, so the workload's threads share it with each other in a steady ratio: across
        // two cores shared with other processes the split between them drifts within seconds, and the
        // three measurements' windows are not exactly one.
        var startInfo = new ProcessStartInfo("taskset");
        startInfo.ArgumentList.Add("--cpu-list");
        startInfo.ArgumentList.Add("0");
        startInfo.ArgumentList.Add("dotnet");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CpuTruthApp.dll"));
        startInfo.ArgumentList.Add($"127.0.0.1:{FreePort.Next()}");
        startInfo.ArgumentList.Add(workload);
        startInfo.Environment.Remove(DebugPprof.AddressVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) startInfo.Environment[name] = value;

        return new CpuTruthAppProcess(new RunningProcess(startInfo));
    }

    public void Dispose() => _process.Dispose();
}
