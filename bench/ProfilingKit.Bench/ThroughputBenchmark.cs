using System.Globalization;

namespace ProfilingKit.Bench;

/// <summary>
/// Fixed work, timed, in each mode: rounds of plain, runtime-session, profilingkit back to back,
/// so that the machine's slow drifts (other users of this shared 2-core box) hit all modes alike.
/// </summary>
internal static class ThroughputBenchmark
{
    public static ThroughputComparison Run(AllocationRate rate, BenchSettings settings)
    {
        var comparison = new ThroughputComparison(rate);
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var mode in BenchMode.All)
            {
                using var process = WorkloadProcess.Start(Arguments(mode));
                var result = process.WaitForResult(TimeSpan.FromMinutes(1));
                var traceFile = process.TraceFileBytes is { } bytes ? $", trace file {bytes / 1e6:F1} MB" : "";
                process.Finish();
                comparison.Add(mode, result);
                var timed = result.Timed;
                Report.Line($"  {rate} round {round} {mode,-15} wall {timed.WallSeconds:F2} s, CPU {timed.CpuSeconds:F2} s, {timed.MegabytesPerSecond:F0} MB/s{traceFile}; " +
                            $"threads: {DescribeThreads(timed)}; warm-up: wall {result.Warmup.WallSeconds:F2} s, threads: {DescribeThreads(result.Warmup)}");
            }
        }

        return comparison;

        WorkloadArguments Arguments(BenchMode mode) =>
            WorkloadArguments.ForCalls(mode, rate, rate.CallsFor(settings.WarmupSeconds), rate.CallsFor(settings.TimedSeconds));
    }

    public static double Wall(WorkloadResult run) => run.Timed.WallSeconds;

    public static double Cpu(WorkloadResult run) => run.Timed.CpuSeconds;

    public static double Rate(WorkloadResult run) => run.Timed.MegabytesPerSecond;

    /// <summary>
    /// The app thread's CPU time over its wall time: near 100% when it had a core to itself, lower
    /// when other processes on this shared machine took turns on it.
    /// </summary>
    public static double AppThreadOnCpu(WorkloadResult run) => run.Timed.ThreadCpuSeconds.GetValueOrDefault("main") / run.Timed.WallSeconds;

    public static void PrintTables(IReadOnlyList<ThroughputComparison> comparisons, BenchSettings settings)
    {
        Report.Line();
        Report.Line($"### Throughput: fixed work after a warm-up, medians of {settings.Rounds} interleaved rounds");
        Report.Line();
        Report.Line("| rate | mode | allocation rate | samples/s (≈ rate / 100 KiB) | wall (s) | CPU (s) | wall / plain | CPU / plain | app thread on CPU |");
        Report.Line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var comparison in comparisons)
        {
            foreach (var mode in BenchMode.All)
            {
                var megabytesPerSecond = comparison.Median(mode, Rate);
                Report.Line($"| {comparison.Rate} | {mode} | {megabytesPerSecond:F0} MB/s | {megabytesPerSecond * 1e6 / (100 * 1024):N0} | " +
                            $"{comparison.Median(mode, Wall):F2} | {comparison.Median(mode, Cpu):F2} | " +
                            $"{comparison.Ratio(mode, BenchMode.Plain, Wall):F3} | {comparison.Ratio(mode, BenchMode.Plain, Cpu):F3} | {comparison.Median(mode, AppThreadOnCpu):P0} |");
            }
        }

        Report.Line();
        Report.Line("### Ratios of medians (**wall** / CPU), and the wall ratio within each round");
        Report.Line();
        Report.Line("| rate | profilingkit / plain | runtime-session / plain | profilingkit / runtime-session |");
        Report.Line("|---|---|---|---|");
        foreach (var comparison in comparisons)
        {
            Report.Line($"| {comparison.Rate} | {Ratios(comparison, BenchMode.ProfilingKit, BenchMode.Plain)} | " +
                        $"{Ratios(comparison, BenchMode.RuntimeSession, BenchMode.Plain)} | {Ratios(comparison, BenchMode.ProfilingKit, BenchMode.RuntimeSession)} |");
        }

        Report.Line();
        Report.Line("### Where the CPU goes: median CPU seconds per thread, timed work");
        Report.Line();
        foreach (var comparison in comparisons) PrintThreadTable(comparison, run => run.Timed);

        Report.Line("### The warm-up (first seconds after set-up, untimed in the figures above): median wall and CPU seconds per thread");
        Report.Line();
        foreach (var comparison in comparisons)
        {
            Report.Line($"{comparison.Rate}: warm-up wall profilingkit / plain {comparison.Ratio(BenchMode.ProfilingKit, BenchMode.Plain, run => run.Warmup.WallSeconds):F3}, " +
                        $"CPU {comparison.Ratio(BenchMode.ProfilingKit, BenchMode.Plain, run => run.Warmup.CpuSeconds):F3}; " +
                        $"runtime-session / plain {comparison.Ratio(BenchMode.RuntimeSession, BenchMode.Plain, run => run.Warmup.WallSeconds):F3}, " +
                        $"CPU {comparison.Ratio(BenchMode.RuntimeSession, BenchMode.Plain, run => run.Warmup.CpuSeconds):F3}.");
            Report.Line();
            PrintThreadTable(comparison, run => run.Warmup);
        }
    }

    private static void PrintThreadTable(ThroughputComparison comparison, Func<WorkloadResult, WorkPhase> phase)
    {
        var threads = comparison.ThreadNames(phase)
            .Where(name => BenchMode.All.Any(mode => comparison.MedianThreadCpu(mode, phase, name) >= 0.02))
            .OrderByDescending(name => comparison.MedianThreadCpu(BenchMode.ProfilingKit, phase, name))
            .ToList();
        Report.Line($"| {comparison.Rate} | wall | " + string.Join(" | ", threads) + " |");
        Report.Line("|---|---:|" + string.Concat(threads.Select(_ => "---:|")));
        foreach (var mode in BenchMode.All)
        {
            var cells = threads.Select(name => comparison.MedianThreadCpu(mode, phase, name).ToString("F2", CultureInfo.InvariantCulture));
            Report.Line($"| {mode} | {comparison.Median(mode, run => phase(run).WallSeconds):F2} | " + string.Join(" | ", cells) + " |");
        }

        Report.Line();
    }

    private static string Ratios(ThroughputComparison comparison, BenchMode numerator, BenchMode denominator) =>
        $"**{comparison.Ratio(numerator, denominator, Wall):F3}** / {comparison.Ratio(numerator, denominator, Cpu):F3} " +
        $"(rounds: {string.Join(" ", comparison.RoundRatios(numerator, denominator, Wall).Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))})";

    private static string DescribeThreads(WorkPhase phase) =>
        string.Join(", ", phase.ThreadCpuSeconds.Where(thread => thread.Value >= 0.02).Select(thread => $"{thread.Key} {thread.Value:F2}")) +
        $" (JIT {phase.JitMethods} methods, {phase.JitSeconds:F2} s)";
}
