using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// Records the stack of every managed thread start: the runtime's ThreadCreating event fires on the
/// thread that calls Thread.Start ("mark the current thread as the launcher of the new thread",
/// coreclr comthreads.cpp), so EventPipe's stack of it is the creation stack Go's threadcreate shows.
/// </summary>
internal sealed class ThreadCreationSampler : INetTraceHandler
{
    /// <summary>
    /// Threads whose creation is remembered for goroutine's "created by": an app that churns threads
    /// would otherwise grow the map for ever; beyond it, new threads just lack the line.
    /// </summary>
    private const int MaxRemembered = 10_000;

    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly StackCounter _creations = new();
    private readonly Dictionary<ulong, ThreadCreation> _starting = new();
    private readonly Dictionary<long, ThreadCreation> _byThread = new();

    /// <param name="isProfilerThread">Threads these OS threads start are the profiler's own and left out.</param>
    public ThreadCreationSampler(Func<long, bool> isProfilerThread) => _isProfilerThread = isProfilerThread;

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsThreadRunning(record.Metadata))
        {
            // The new thread, on itself: now its OS id is known, and its creation can be found by it.
            if (!ClrEventPayloads.TryReadThreadObject(record.Payload, record.PointerSize, out var running)) return;

            lock (_gate)
            {
                if (_starting.Remove(running, out var creation) && _byThread.Count < MaxRemembered) _byThread[record.ThreadId] = creation;
            }

            return;
        }

        if (!ClrEvents.IsThreadCreating(record.Metadata) || _isProfilerThread(record.ThreadId)) return;

        lock (_gate)
        {
            _creations.Add(record.Stack);
            if (_starting.Count < MaxRemembered && ClrEventPayloads.TryReadThreadObject(record.Payload, record.PointerSize, out var created))
            {
                _starting[created] = new ThreadCreation(record.Stack.ToArray(), record.ThreadId);
            }
        }
    }

    /// <summary>How the thread with OS id <paramref name="osThreadId"/> was started, if it was started since sampling began.</summary>
    public ThreadCreation? CreationOf(long osThreadId)
    {
        lock (_gate) return _byThread.GetValueOrDefault(osThreadId);
    }

    /// <summary>Threads started so far: the count on the index page, as Go counts threadcreate.</summary>
    public long Total
    {
        get
        {
            lock (_gate) return _creations.Total;
        }
    }

    /// <summary>Each distinct creation stack with how many threads it started, most first.</summary>
    public IReadOnlyList<(ulong[] Stack, long Count)> Snapshot()
    {
        lock (_gate) return _creations.Entries();
    }
}
