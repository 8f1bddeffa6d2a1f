namespace ProfilingKit.Threads;

/// <summary>What the threadcreate profile is in .NET: its sample type and the comment that says what it covers.</summary>
internal static class ThreadCreateProfile
{
    public const string Type = "threadcreate";

    /// <summary>The one frame of the threads that were running before sampling began: no event recorded their creation.</summary>
    public const string BeforeSamplingFrame = "[created before profiling started]";

    /// <summary>The one frame of the threads one of the profiler's own threads started: their stack is the profiler's, not the app's.</summary>
    public const string ByProfilerFrame = "[created by ProfilingKit's own threads]";

    public const string Comment =
        "ProfilingKit: how each managed thread alive now was started (Thread.Start, thread-pool growth), from the runtime's ThreadCreating event; " +
        "as in Go, a thread that has ended leaves the profile. Threads running before sampling began at start-up (the main thread, the runtime's first threads) " +
        "are counted under " + BeforeSamplingFrame + ", threads the profiler's own threads started under " + ByProfilerFrame + ". " +
        "Threads the runtime starts outside managed code (GC, JIT, finalizer) are not in it; the profiler's own threads are left out.";
}
