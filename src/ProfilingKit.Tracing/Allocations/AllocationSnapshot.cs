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

    /// <summary>The sampled objects still live after the last GC, by allocation stack; null where they are not followed.</summary>
    public LiveHeap? Live { get; init; }

    /// <summary>Every stack the snapshot's samples name: the allocations', then the live objects'.</summary>
    public IEnumerable<ulong[]> Stacks => Sites.Select(site => site.Stack).Concat(Live?.Sites.Select(site => site.Stack) ?? []);
}

/// <summary>The live heap by allocation stack (<see cref="LiveObjectTracker"/>): its sites' values are what is still live.</summary>
internal sealed record LiveHeap(IReadOnlyList<AllocationSite> Sites, LiveHeapCounts Counts);
