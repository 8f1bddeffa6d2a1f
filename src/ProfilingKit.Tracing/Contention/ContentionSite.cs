namespace ProfilingKit.Contention;

/// <summary>The contentions of one waiter stack on one kind of lock since start: how many, and how long they waited in total.</summary>
internal sealed record ContentionSite(ulong[] Stack, bool Managed, long Count, long DelayNanos);
