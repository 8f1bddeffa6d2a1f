using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// Every managed thread's stack now, from one pass of the runtime's sampler in a short session of
/// its own. It needs no slot: a few milliseconds of sampling, so a goroutine dump works
/// while a CPU profile runs.
/// </summary>
internal sealed class ThreadStackSampler
{
    /// <summary>
    /// How long a snapshot samples after the first sample arrives: longer than one pass of the
    /// sampler (1 to 4 ms measured), so the pass that sample began is complete.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(20);

    private readonly RuntimeSessions _sessions;
    private readonly Func<long, bool> _isOwnThread;
    private readonly ThreadCreationSampler _creations;

    public ThreadStackSampler(RuntimeSessions sessions, Func<long, bool> isOwnThread, ThreadCreationSampler creations)
    {
        _sessions = sessions;
        _isOwnThread = isOwnThread;
        _creations = creations;
    }

    /// <summary>Each managed thread with its OS name and state and, where known, the stack that created it.</summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public IReadOnlyList<ThreadStack> Now(CancellationToken cancel) =>
        SampleOnce(cancel)
            .Result(id => OsThreadNames.Of(_sessions.Target.Tasks, id), id => OsThreadState.Of(_sessions.Target.Tasks, id))
            .Select(thread => thread with { CreatedBy = _creations.CreationOf(thread.ThreadId) })
            .ToList();

    /// <summary>The OS ids of the managed threads running now.</summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public IReadOnlyList<long> ThreadIdsNow() => SampleOnce(CancellationToken.None).ThreadIds();

    private ThreadStackCollector SampleOnce(CancellationToken cancel)
    {
        var collector = new ThreadStackCollector(_isOwnThread);
        using (var session = _sessions.StartSampler(collector, "ProfilingKit stack snapshot"))
        {
            collector.WaitForFirstSample(TimeSpan.FromSeconds(5), cancel);
            cancel.WaitHandle.WaitOne(Window);
            session.StopAndDrain(RuntimeSessions.DrainTimeout);
        }

        return collector;
    }
}
