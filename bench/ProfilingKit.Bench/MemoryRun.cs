namespace ProfilingKit.Bench;

/// <summary>One fixed-duration run of the memory benchmark.</summary>
/// <param name="WorkingSetDuringWork">The working set read every few seconds while the workload ran, with the time read.</param>
/// <param name="AtEnd">The working set right after the work, with sampling still on and no request served yet.</param>
/// <param name="ManagedHeapBytes">Live managed heap after a full collection, at the very end.</param>
/// <param name="Profile">The allocs profile fetched after the work (profilingkit mode only).</param>
/// <param name="AfterFetch">The working set after serving that profile.</param>
internal sealed record MemoryRun(
    BenchMode Mode,
    WorkloadResult Result,
    IReadOnlyList<(TimeSpan At, long ResidentBytes)> WorkingSetDuringWork,
    ProcessMemory AtEnd,
    long ManagedHeapBytes,
    AllocsProfileSummary? Profile,
    ProcessMemory? AfterFetch);
