using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// Keeps the first SampleProfiler sample of each thread: one pass of the sampler walks every managed
/// thread under one suspension, so the first samples are a consistent picture of all threads, as
/// dotnet-stack takes it.
/// </summary>
internal sealed class ThreadStackCollector : INetTraceHandler
{
    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly Dictionary<long, ulong[]> _first = new();
    private readonly ManualResetEventSlim _sampled = new();

    /// <param name="isProfilerThread">These OS threads are left out: the profiler's own work.</param>
    public ThreadStackCollector(Func<long, bool> isProfilerThread) => _isProfilerThread = isProfilerThread;

    public void OnEvent(in TraceEventRecord record)
    {
        if (!ClrEvents.IsThreadSample(record.Metadata)
            || !ClrEventPayloads.TryReadThreadSample(record.Payload, out var kind)
            || kind == ThreadSampleKind.Error
            || _isProfilerThread(record.ThreadId))
        {
            return;
        }

        lock (_gate)
        {
            if (!_first.ContainsKey(record.ThreadId)) _first.Add(record.ThreadId, record.Stack.ToArray());
        }

        _sampled.Set();
    }

    /// <summary>Waits until the first sample of the app's threads has arrived (the first pass has begun).</summary>
    public bool WaitForFirstSample(TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            return _sampled.Wait(timeout, cancel);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The OS ids of the threads seen.</summary>
    public IReadOnlyList<long> ThreadIds()
    {
        lock (_gate) return _first.Keys.ToList();
    }

    /// <summary>The threads seen, in OS id order, each named by <paramref name="nameOf"/> and in the state <paramref name="stateOf"/> tells.</summary>
    public IReadOnlyList<ThreadStack> Result(Func<long, string> nameOf, Func<long, string> stateOf)
    {
        lock (_gate)
        {
            return _first
                .OrderBy(thread => thread.Key)
                .Select(thread => new ThreadStack(thread.Key, nameOf(thread.Key), stateOf(thread.Key), thread.Value))
                .ToList();
        }
    }
}
