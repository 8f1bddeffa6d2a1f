using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ProfilingKit.Bench;

/// <summary>Runs the whole benchmark (throughput at each rate, then memory) and prints it as Markdown with the verdicts.</summary>
internal static class Driver
{
    // Targets from the issue and DESIGN §5.
    private const double ThroughputTarget = 1.03;
    private const double ReaderOnTopOfRuntimeTarget = 1.10;
    private const double AddedMemoryTargetMegabytes = 30;

    // Below this share of a core for the app thread (median of a mode), other processes took turns on
    // the CPU so often that a few-percent ratio cannot be read from the run.
    private const double ContendedBelow = 0.90;

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var settings = args switch
        {
            [] => BenchSettings.Full,
            ["--quick"] => BenchSettings.Quick,
            _ => null,
        };
        if (settings is null)
        {
            Console.Error.WriteLine("usage: ProfilingKit.Bench [--quick]   (or: " + WorkloadArguments.Usage + ")");
            return 2;
        }

        var total = Stopwatch.StartNew();
        Report.Line($"## ProfilingKit overhead benchmark ({settings.Name} run, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz})");
        Report.Line();
        Report.Line($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} processors; " +
                    $"{settings.Rounds} rounds; per run {settings.WarmupSeconds:F1} s warm-up then {settings.TimedSeconds:F1} s timed work (plain); " +
                    $"memory runs of {settings.MemorySeconds:F0} s.");
        Report.Line();

        var comparisons = AllocationRate.All.Select(rate => ThroughputBenchmark.Run(rate, settings)).ToList();
        var memory = MemoryBenchmark.Run(settings);

        ThroughputBenchmark.PrintTables(comparisons, settings);
        MemoryBenchmark.PrintTable(memory, settings);
        PrintVerdicts(comparisons, memory);
        Report.Line();
        Report.Line($"Benchmark time: {total.Elapsed.TotalMinutes:F1} min.");
        return 0;
    }

    private static void PrintVerdicts(IReadOnlyList<ThroughputComparison> comparisons, IReadOnlyList<MemoryRun> memory)
    {
        var wall = ThroughputBenchmark.Wall;
        var moderate = comparisons.Single(c => c.Rate == AllocationRate.Moderate);
        Report.Line();
        Report.Line("### Against the targets");
        Report.Line();

        var throughput = moderate.Ratio(BenchMode.ProfilingKit, BenchMode.Plain, wall);
        Verdict($"throughput cost at {moderate.Median(BenchMode.Plain, ThroughputBenchmark.Rate):F0} MB/s: wall profilingkit / plain {throughput:F3}",
            throughput <= ThroughputTarget, $"target ≤ {ThroughputTarget:F2}" + ContentionWarning(moderate));

        foreach (var comparison in comparisons)
        {
            var readerCost = comparison.Ratio(BenchMode.ProfilingKit, BenchMode.RuntimeSession, wall);
            Verdict($"reader on top of the runtime's file session at {comparison.Median(BenchMode.Plain, ThroughputBenchmark.Rate):F0} MB/s: wall profilingkit / runtime-session {readerCost:F3}",
                readerCost <= ReaderOnTopOfRuntimeTarget, $"target ≤ {ReaderOnTopOfRuntimeTarget:F2}" + ContentionWarning(comparison));
        }

        var plain = memory.Single(run => run.Mode == BenchMode.Plain);
        var profiled = memory.Single(run => run.Mode == BenchMode.ProfilingKit);
        var added = (profiled.AtEnd.ResidentBytes - plain.AtEnd.ResidentBytes) / 1e6;
        Verdict($"added working set after {profiled.Result.Warmup.WallSeconds + profiled.Result.Timed.WallSeconds:F0} s of sampling: {added:F1} MB", added <= AddedMemoryTargetMegabytes, $"target ≤ {AddedMemoryTargetMegabytes:F0} MB");
    }

    private static string ContentionWarning(ThroughputComparison comparison)
    {
        var leastOnCpu = BenchMode.All.Min(mode => comparison.Median(mode, ThroughputBenchmark.AppThreadOnCpu));
        return leastOnCpu < ContendedBelow
            ? $"; NOT RELIABLE: the machine was contended, the app thread had only {leastOnCpu:P0} of a core in some mode"
            : "";
    }

    private static void Verdict(string measured, bool met, string target) =>
        Report.Line($"- {(met ? "MET" : "MISSED")}: {measured} ({target})");
}
