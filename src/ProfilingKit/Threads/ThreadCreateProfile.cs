namespace ProfilingKit.Threads;

/// <summary>What the threadcreate profile is in .NET: its sample type and the comment that says what it covers.</summary>
internal static class ThreadCreateProfile
{
    public const string Type = "threadcreate";

    public const string Comment =
        "ProfilingKit: the stacks that started managed threads (Thread.Start, thread-pool growth), from the runtime's ThreadCreating event, " +
        "since sampling began at start-up. Threads started before that (the main thread, the runtime's first threads) and threads the runtime " +
        "starts outside managed code (GC, JIT, finalizer) are not in it; the profiler's own threads are left out.";
}
