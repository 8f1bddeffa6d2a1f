using ProfilingKit.Pprof;

namespace ProfilingKit.Allocations;

/// <summary>The estimated allocations of one (stack, type, label set) since sampling started.</summary>
internal readonly record struct AllocationSite(ulong[] Stack, string TypeName, double Objects, double Bytes, long Samples)
{
    /// <summary>The profile labels the allocations were made under (<c>ProfileLabels.Set</c>); none outside any.</summary>
    public IReadOnlyList<SampleLabel> Labels { get; init; } = [];
}

/// <summary>A consistent copy of everything sampled so far.</summary>
internal sealed record AllocationSnapshot(IReadOnlyList<AllocationSite> Sites, long SampleCount, DateTimeOffset Since)
{
    /// <summary>What keeping the table within its memory budget did to the stacks.</summary>
    public StackBounds Bounds { get; init; }
}
