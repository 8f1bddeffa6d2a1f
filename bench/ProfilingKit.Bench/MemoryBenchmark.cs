namespace ProfilingKit.Bench;

/// <summary>
/// The working set a long sampling session adds: the moderate-rate workload for a fixed time in
/// plain and in profilingkit mode, read from outside by the driver.
/// </summary>
internal static class MemoryBenchmark
{
    public static IReadOnlyList<MemoryRun> Run(BenchSettings settings) =>
        [RunOne(BenchMode.Plain, settings), RunOne(BenchMode.ProfilingKit, settings)];

    public static void PrintTable(IReadOnlyList<MemoryRun> runs, BenchSettings settings)
    {
        var ticks = runs.SelectMany(run => run.WorkingSetDuringWork.Select(sample => sample.At)).Distinct().Order().ToList();
        Report.Line();
        Report.Line($"### Memory: warm-up, then {settings.MemorySeconds:F0} s at the moderate rate; RSS read from outside, times from process start (MB = 10^6 bytes)");
        Report.Line();
        Report.Line("| mode | allocation rate | " + string.Join(" | ", ticks.Select(at => $"RSS at {at.TotalSeconds:F0} s")) +
                    " | RSS at end | peak RSS | live managed heap at end |");
        Report.Line("|---|---:|" + string.Concat(ticks.Select(_ => "---:|")) + "---:|---:|---:|");
        foreach (var run in runs)
        {
            var during = ticks.Select(at => run.WorkingSetDuringWork.Where(sample => sample.At == at).Select(sample => Megabytes(sample.ResidentBytes)).FirstOrDefault("-"));
            Report.Line($"| {run.Mode} | {run.Result.Timed.MegabytesPerSecond:F0} MB/s | " + string.Join(" | ", during) +
                        $" | {Megabytes(run.AtEnd.ResidentBytes)} | {Megabytes(run.AtEnd.PeakResidentBytes)} | {Megabytes(run.ManagedHeapBytes)} |");
        }

        var plain = runs.Single(run => run.Mode == BenchMode.Plain);
        var profiled = runs.Single(run => run.Mode == BenchMode.ProfilingKit);
        Report.Line();
        Report.Line($"Added by ProfilingKit: working set at end **{Megabytes(profiled.AtEnd.ResidentBytes - plain.AtEnd.ResidentBytes)} MB**, " +
                    $"peak {Megabytes(profiled.AtEnd.PeakResidentBytes - plain.AtEnd.PeakResidentBytes)} MB, " +
                    $"live managed heap {Megabytes(profiled.ManagedHeapBytes - plain.ManagedHeapBytes)} MB.");

        if (profiled.Profile is { } profile && profiled.AfterFetch is { } afterFetch)
        {
            var measured = profiled.Result.Warmup.AllocatedBytes + profiled.Result.Timed.AllocatedBytes;
            Report.Line();
            Report.Line($"GET /debug/pprof/allocs after the run: {profile.CompressedBytes / 1e3:F1} kB gzip in {profile.FetchSeconds:F2} s, " +
                        $"{profile.Samples} samples (stack, type), estimated {profile.EstimatedAllocatedBytes / 1e9:F2} GB in {profile.EstimatedObjects:N0} objects " +
                        $"against {measured / 1e9:F2} GB measured by GC.GetTotalAllocatedBytes over warm-up and work " +
                        $"(ratio {(double)profile.EstimatedAllocatedBytes / measured:F3}); " +
                        $"{profile.WorkloadFunctionShare:P1} of the bytes under {nameof(StringBuildingWorkload.MemoryIntensiveFunc)}. " +
                        $"Working set after serving it: {Megabytes(afterFetch.ResidentBytes)} MB.");
        }
    }

    private static MemoryRun RunOne(BenchMode mode, BenchSettings settings)
    {
        using var process = WorkloadProcess.Start(WorkloadArguments.ForSeconds(mode, AllocationRate.Moderate, AllocationRate.Moderate.CallsFor(settings.WarmupSeconds), settings.MemorySeconds));
        var during = new List<(TimeSpan, long)>();
        var result = process.WaitForResult(settings.MemorySampleEvery, () =>
            during.Add((settings.MemorySampleEvery * (during.Count + 1), process.ReadMemory().ResidentBytes)));
        var atEnd = process.ReadMemory();

        AllocsProfileSummary? profile = null;
        ProcessMemory? afterFetch = null;
        if (result.ProfilesUrl is { } url)
        {
            profile = AllocsProfileSummary.Fetch(url);
            afterFetch = process.ReadMemory();
        }

        var heap = process.Finish();
        Report.Line($"  memory {mode,-15} {result.Warmup.WallSeconds + result.Timed.WallSeconds:F0} s at {result.Timed.MegabytesPerSecond:F0} MB/s, RSS at end {Megabytes(atEnd.ResidentBytes)} MB, peak {Megabytes(atEnd.PeakResidentBytes)} MB, live heap {Megabytes(heap)} MB");
        return new MemoryRun(mode, result, during, atEnd, heap, profile, afterFetch);
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1");
}
