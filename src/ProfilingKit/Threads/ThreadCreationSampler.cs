using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// Records the stack of every managed thread start: the runtime's ThreadCreating event fires on the
/// thread that calls Thread.Start ("mark the current thread as the launcher of the new thread",
/// coreclr comthreads.cpp), so EventPipe's stack of it is the creation stack Go's threadcreate shows.
/// </summary>
internal sealed class ThreadCreationSampler : INetTraceHandler
{
    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly StackCounter _creations = new();

    /// <param name="isProfilerThread">Threads these OS threads start are the profiler's own and left out.</param>
    public ThreadCreationSampler(Func<long, bool> isProfilerThread) => _isProfilerThread = isProfilerThread;

    public void OnEvent(in TraceEventRecord record)
    {
        if (!ClrEvents.IsThreadCreating(record.Metadata) || _isProfilerThread(record.ThreadId)) return;

        lock (_gate) _creations.Add(record.Stack);
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
