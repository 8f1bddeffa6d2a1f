namespace ProfilingKit.Threads;

/// <summary>Where a thread was started: the creation stack and the OS id of the thread that started it.</summary>
internal sealed record ThreadCreation(ulong[] Stack, long CreatorThreadId);
