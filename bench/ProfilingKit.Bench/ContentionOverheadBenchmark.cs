using System.Globalization;
using System.Runtime.InteropServices;

namespace ProfilingKit.Bench;

/// <summary>
/// The throughput cost of ProfilingKit's always-on session on a lock-heavy workload, where its
/// contention keyword (0x4000) is what costs: the workload allocates next to nothing and starts no
/// threads, so allocation sampling and thread events stay idle. Rounds alternate a plain process
/// and a DebugPprof.Start process (<see cref="LockWorkload"/>), first one then the other, and the
/// cost is the ratio of the median lock round trips per second. On a loaded machine the wall figure
/// says more about the scheduler than about ProfilingKit, so round trips per CPU-second of the whole
/// process (ProfilingKit's reader included) are reported beside it.
/// </summary>
internal static class ContentionOverheadBenchmark
{
    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var (rounds, warmupSeconds, timedSeconds) = args switch
        {
            [] => (5, 8.0, 6.0),
            ["--quick"] => (1, 1.5, 1.5),
            _ => (0, 0, 0),
        };
        if (rounds == 0)
        {
            Console.Error.WriteLine("usage: ProfilingKit.Bench contention [--quick]");
            return 2;
        }

        var modes = new[] { BenchMode.Plain, BenchMode.ProfilingKit };
        Report.Line($"## Contention keyword cost ({(args.Length == 0 ? "full" : "quick")} run, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz})");
        Report.Line();
        Report.Line($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} processors; " +
                    $"{rounds} rounds of one process per mode, each {warmupSeconds:F1} s warm-up then {timedSeconds:F1} s timed; four threads on one lock.");
        Report.Line();
        Report.Line("| round | mode | lock round trips/s | contentions/s | process CPU (cores) | round trips per CPU-s |");
        Report.Line("|---:|---|---:|---:|---:|---:|");

        var results = modes.ToDictionary(mode => mode, _ => new List<(double RoundTripsPerSecond, double ContentionsPerSecond, double Cores)>());
        for (var round = 1; round <= rounds; round++)
        {
            // Each mode goes first every other round, so a drift of the machine's load favours neither.
            foreach (var mode in round % 2 == 1 ? modes : modes.Reverse())
            {
                var result = RunOnce(mode, warmupSeconds, timedSeconds);
                results[mode].Add(result);
                Report.Line($"| {round} | {mode.Name} | {result.RoundTripsPerSecond:F0} | {result.ContentionsPerSecond:F0} | {result.Cores:F2} | {result.RoundTripsPerSecond / result.Cores:F0} |");
            }
        }

        var plain = Statistics.Median(results[BenchMode.Plain].Select(r => r.RoundTripsPerSecond));
        var profiled = Statistics.Median(results[BenchMode.ProfilingKit].Select(r => r.RoundTripsPerSecond));
        var plainPerCpu = Statistics.Median(results[BenchMode.Plain].Select(r => r.RoundTripsPerSecond / r.Cores));
        var profiledPerCpu = Statistics.Median(results[BenchMode.ProfilingKit].Select(r => r.RoundTripsPerSecond / r.Cores));
        Report.Line();
        Report.Line($"- lock round trips/s, median: plain {plain:F0}, profilingkit {profiled:F0}; profilingkit / plain {profiled / plain:F3} (below 1.000 is a cost)");
        Report.Line($"- round trips per CPU-second, median: plain {plainPerCpu:F0}, profilingkit {profiledPerCpu:F0}; profilingkit / plain {profiledPerCpu / plainPerCpu:F3}");
        Report.Line($"- contentions/s, median: plain {Statistics.Median(results[BenchMode.Plain].Select(r => r.ContentionsPerSecond)):F0}, " +
                    $"profilingkit {Statistics.Median(results[BenchMode.ProfilingKit].Select(r => r.ContentionsPerSecond)):F0} (each one an event pair with a stack walk under profilingkit)");
        return 0;
    }

    private static (double RoundTripsPerSecond, double ContentionsPerSecond, double Cores) RunOnce(BenchMode mode, double warmupSeconds, double timedSeconds)
    {
        var startInfo = WorkloadProcess.StartInfo(new[]
        {
            "contention-workload", mode.Name, warmupSeconds.ToString(CultureInfo.InvariantCulture), timedSeconds.ToString(CultureInfo.InvariantCulture),
        });
        using var process = System.Diagnostics.Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + startInfo.FileName);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        foreach (var line in output.Split('\n'))
        {
            if (LockWorkload.TryParse(line.TrimEnd('\r'), out var result)) return result;
        }

        throw new InvalidOperationException($"the {mode.Name} workload (exit code {process.ExitCode}) printed no result.\nstdout:\n{output}\nstderr:\n{stderr.Result}");
    }
}
