using System.Collections.Concurrent;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.Http;

/// <summary>
/// A small fixed set of profiler threads that serve requests, whatever host received them: requests
/// run side by side (a 30 s CPU profile does not hold up the index), the endpoint's own work is
/// filtered out of the profiles, and no request runs on the app's threads or starts a thread of its own.
/// </summary>
internal sealed class PprofWorkers : IDisposable
{
    /// <summary>Requests served at the same time.</summary>
    public const int Count = 4;

    /// <summary>Requests that may wait for a worker; more than that are refused at once.</summary>
    public const int QueueLimit = 256;

    private readonly BlockingCollection<Action> _queue = new(QueueLimit);
    private readonly Thread[] _threads;

    public PprofWorkers(ProfilerThreads threads) =>
        _threads = Enumerable.Range(1, Count).Select(i => threads.Start($"ProfilingKit pprof worker {i}", Work)).ToArray();

    /// <summary>What a refused request is told.</summary>
    public static string BusyMessage => $"too many requests: {Count} are being served and {QueueLimit} are waiting; try again in a moment";

    /// <summary>Queues <paramref name="work"/>; false when the queue is full or the workers are stopping.</summary>
    public bool TryQueue(Action work)
    {
        try
        {
            return _queue.TryAdd(work);
        }
        catch (InvalidOperationException)
        {
            return false; // stopping
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Work()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                ProfilingKitLog.WarnRepeating("pprof-worker", $"a pprof request failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
