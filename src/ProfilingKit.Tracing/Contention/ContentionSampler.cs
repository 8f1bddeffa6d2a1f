using System.Runtime.InteropServices;
using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Contention;

/// <summary>
/// Aggregates the runtime's lock contention events by the waiter's stack: ContentionStart carries the
/// stack of the thread that has to wait, the ContentionStop that follows on the same thread how long
/// it waited (DurationNs, .NET 8+; the timestamps before that). The runtime reports every contended
/// acquisition, so nothing is sampled and nothing needs scaling.
/// </summary>
internal sealed class ContentionSampler : INetTraceHandler
{
    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly double _nanosPerTick;
    private readonly StackTable _stacks = new();
    private readonly Dictionary<long, (int Stack, bool Managed, long Timestamp)> _waiting = new();
    private readonly Dictionary<(int Stack, bool Managed), Accumulator> _sites = new();

    /// <param name="isProfilerThread">Contentions of these OS threads are left out: the profiler's own waits.</param>
    /// <param name="timestampFrequency">QPC ticks per second of the traced process's timestamps.</param>
    public ContentionSampler(Func<long, bool> isProfilerThread, long timestampFrequency)
    {
        _isProfilerThread = isProfilerThread;
        _nanosPerTick = 1e9 / timestampFrequency;
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsContentionStart(record.Metadata))
        {
            if (_isProfilerThread(record.ThreadId) || !ClrEventPayloads.TryReadContentionStart(record.Payload, out var managed)) return;

            lock (_gate) _waiting[record.ThreadId] = (_stacks.Intern(record.Stack), managed, record.Timestamp);
        }
        else if (ClrEvents.IsContentionStop(record.Metadata))
        {
            lock (_gate)
            {
                // A thread waits for one lock at a time, so its stop ends its last start.
                if (!_waiting.Remove(record.ThreadId, out var start)) return;

                var nanos = ClrEventPayloads.TryReadContentionDuration(record.Payload, out var duration)
                    ? duration
                    : Math.Max(0, record.Timestamp - start.Timestamp) * _nanosPerTick;
                ref var site = ref CollectionsMarshal.GetValueRefOrAddDefault(_sites, (start.Stack, start.Managed), out _);
                site.Count++;
                site.DelayNanos += (long)nanos;
            }
        }
    }

    /// <summary>The number of distinct waiter stacks so far (of managed locks only, or of all): the counts on the index page.</summary>
    public int SiteCount(bool managedOnly)
    {
        lock (_gate) return managedOnly ? _sites.Keys.Count(site => site.Managed) : _sites.Count;
    }

    public IReadOnlyList<ContentionSite> Snapshot()
    {
        lock (_gate)
        {
            return _sites.Select(site => new ContentionSite(_stacks[site.Key.Stack], site.Key.Managed, site.Value.Count, site.Value.DelayNanos)).ToList();
        }
    }

    private struct Accumulator
    {
        public long Count;
        public long DelayNanos;
    }
}
