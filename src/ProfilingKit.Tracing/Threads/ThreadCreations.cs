namespace ProfilingKit.Threads;

/// <summary>
/// How the managed threads alive now were started: each distinct creation stack with its number of
/// threads, and the threads whose creation no event recorded, by why: the threadcreate profile.
/// </summary>
/// <param name="Stacks">Distinct creation stacks with how many live threads each started, most first.</param>
/// <param name="BeforeSampling">Threads that were running before sampling began (the main thread, the first runtime threads).</param>
/// <param name="ByProfiler">Threads that one of the profiler's own threads started (a socket or timer thread its HTTP server needed).</param>
internal sealed record ThreadCreations(IReadOnlyList<(ulong[] Stack, long Count)> Stacks, long BeforeSampling, long ByProfiler)
{
    /// <summary>The threads counted: the profile's total, and the number of managed threads alive.</summary>
    public long Total => Stacks.Sum(entry => entry.Count) + BeforeSampling + ByProfiler;

    /// <summary>The threads without a creation stack, each kind as its one pseudo-frame (Go's profiles have no other way to say it), the empty kinds left out.</summary>
    public IReadOnlyList<(string Frame, long Count)> WithoutStack() =>
        new[] { (ThreadCreateProfile.BeforeSamplingFrame, BeforeSampling), (ThreadCreateProfile.ByProfilerFrame, ByProfiler) }
            .Where(entry => entry.Item2 > 0)
            .ToList();
}
