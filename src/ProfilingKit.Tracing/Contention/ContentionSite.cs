namespace ProfilingKit.Contention;

/// <summary>The contentions of one waiter stack on one kind of lock, under one label set, since start: how many, and how long they waited in total.</summary>
internal sealed record ContentionSite(ulong[] Stack, bool Managed, long Count, long DelayNanos)
{
    /// <summary>The profile labels the waits began under (<c>ProfileLabels.Set</c>); none outside any.</summary>
    public IReadOnlyList<ProfilingKit.Pprof.SampleLabel> Labels { get; init; } = [];
}
