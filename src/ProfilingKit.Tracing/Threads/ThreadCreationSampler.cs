using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// Keeps how each managed thread alive now was started. The runtime's ThreadCreating event fires on
/// the thread that calls Thread.Start ("mark the current thread as the launcher of the new thread",
/// coreclr comthreads.cpp), so EventPipe's stack of it is the creation stack Go's threadcreate shows;
/// ThreadRunning then fires on the new thread, which gives its OS id. Threads running before
/// sampling began come from one pass of the stack sampler at start-up (<see cref="RecordRunningAtStart"/>).
/// Like Go's, which walks its list of live threads (allm), it counts the threads alive now: an ended
/// thread leaves the profile.
/// </summary>
internal sealed class ThreadCreationSampler : INetTraceHandler
{
    /// <summary>
    /// Threads remembered at once: when an app holds more (or churns them faster than anyone asks),
    /// the ended ones are forgotten first; beyond that, new threads are not counted.
    /// </summary>
    private const int MaxRemembered = 10_000;

    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly Func<IReadOnlySet<long>?> _liveOsThreads;

    /// <summary>Threads started but not yet running, by thread object: their creation, or null when a profiler thread started them.</summary>
    private readonly Dictionary<ulong, ThreadCreation?> _starting = new();

    /// <summary>Running threads by OS id, with their creation; the next two sets hold those without one.</summary>
    private readonly Dictionary<long, ThreadCreation> _byThread = new();

    private readonly HashSet<long> _beforeSampling = new();
    private readonly HashSet<long> _byProfiler = new();

    /// <param name="isProfilerThread">These OS threads are the profiler's own: not counted, and what they start is not shown by its stack.</param>
    /// <param name="liveOsThreads">The OS ids of the process's threads alive now, or null where the OS cannot say (then no thread is known to end).</param>
    public ThreadCreationSampler(Func<long, bool> isProfilerThread, Func<IReadOnlySet<long>?> liveOsThreads)
    {
        _isProfilerThread = isProfilerThread;
        _liveOsThreads = liveOsThreads;
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsThreadRunning(record.Metadata))
        {
            // The new thread, on itself: now its OS id is known, and its creation can be found by it.
            if (!ClrEventPayloads.TryReadThreadObject(record.Payload, record.PointerSize, out var running)) return;

            lock (_gate)
            {
                Forget(record.ThreadId); // an id the start-up pass saw a moment before this event, or of an ended thread, used again
                if (!HasRoom()) return;

                if (!_starting.Remove(running, out var creation)) _beforeSampling.Add(record.ThreadId); // its ThreadCreating came before the session
                else if (creation is null) _byProfiler.Add(record.ThreadId);
                else _byThread[record.ThreadId] = creation;
            }

            return;
        }

        if (!ClrEvents.IsThreadCreating(record.Metadata)
            || !ClrEventPayloads.TryReadThreadObject(record.Payload, record.PointerSize, out var created))
        {
            return;
        }

        var startedBy = _isProfilerThread(record.ThreadId) ? null : new ThreadCreation(record.Stack.ToArray(), record.ThreadId);
        lock (_gate)
        {
            if (_starting.Count < MaxRemembered) _starting[created] = startedBy;
        }
    }

    /// <summary>
    /// Counts the threads that one pass of the stack sampler found once sampling ran: those without a
    /// ThreadRunning event so far were running before it began.
    /// </summary>
    public void RecordRunningAtStart(IEnumerable<long> osThreadIds)
    {
        lock (_gate)
        {
            foreach (var id in osThreadIds)
            {
                if (!_byThread.ContainsKey(id) && !_byProfiler.Contains(id) && HasRoom()) _beforeSampling.Add(id);
            }
        }
    }

    /// <summary>How the thread with OS id <paramref name="osThreadId"/> was started, if it was started since sampling began.</summary>
    public ThreadCreation? CreationOf(long osThreadId)
    {
        lock (_gate) return _byThread.GetValueOrDefault(osThreadId);
    }

    /// <summary>The managed threads alive now, the profiler's own left out: the goroutine and threadcreate counts on the index.</summary>
    public long LiveCount
    {
        get
        {
            lock (_gate)
            {
                ForgetEnded();
                return _byThread.Keys.Concat(_beforeSampling).Concat(_byProfiler).Count(id => !_isProfilerThread(id));
            }
        }
    }

    /// <summary>How each managed thread alive now was started, the profiler's own left out.</summary>
    public ThreadCreations Snapshot()
    {
        lock (_gate)
        {
            ForgetEnded();
            var stacks = new StackCounter();
            foreach (var (id, creation) in _byThread)
            {
                if (!_isProfilerThread(id)) stacks.Add(creation.Stack);
            }

            return new ThreadCreations(
                stacks.Entries(),
                _beforeSampling.Count(id => !_isProfilerThread(id)),
                _byProfiler.Count(id => !_isProfilerThread(id)));
        }
    }

    /// <summary>Whether another thread may be remembered; forgets the ended ones first when it is full. Call under the gate.</summary>
    private bool HasRoom()
    {
        if (_byThread.Count + _beforeSampling.Count + _byProfiler.Count < MaxRemembered) return true;

        ForgetEnded();
        return _byThread.Count + _beforeSampling.Count + _byProfiler.Count < MaxRemembered;
    }

    /// <summary>Forgets the threads that have ended, where the OS says which are alive. Call under the gate.</summary>
    private void ForgetEnded()
    {
        if (_liveOsThreads() is not { } alive) return;

        foreach (var id in _byThread.Keys.Concat(_beforeSampling).Concat(_byProfiler).Where(id => !alive.Contains(id)).ToList())
        {
            Forget(id);
        }
    }

    private void Forget(long osThreadId)
    {
        _byThread.Remove(osThreadId);
        _beforeSampling.Remove(osThreadId);
        _byProfiler.Remove(osThreadId);
    }
}
