using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Labels;
using ProfilingKit.Symbols;

namespace ProfilingKit.Contention;

/// <summary>
/// Aggregates the runtime's lock contention events by the waiter's stack: ContentionStart carries the
/// stack of the thread that has to wait, the ContentionStop that follows on the same thread how long
/// it waited (DurationNs, .NET 8+; the timestamps before that). The runtime reports every contended
/// acquisition, so nothing is sampled and nothing needs scaling.
/// </summary>
internal sealed class ContentionSampler : INetTraceHandler, ICodeFrameHolder
{
    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly double _nanosPerTick;
    private readonly BoundedSites<Accumulator> _sites;
    private readonly Dictionary<long, (int Stack, int Generation, bool Managed, long Timestamp, int Labels)> _waiting = new();
    private readonly LabelSets? _labels;
    private readonly MethodAddressMap? _methods;
    private ulong[] _frames = new ulong[64]; // the current waiter's stack as code frames

    /// <param name="isProfilerThread">Contentions of these OS threads are left out: the profiler's own waits.</param>
    /// <param name="timestampFrequency">QPC ticks per second of the traced process's timestamps.</param>
    /// <param name="budgetBytes">The memory the waiters' stacks may use (<see cref="BoundedSites{TValue}"/>).</param>
    /// <param name="methods">The process's code as the events report it, which someone else feeds: a waiter's stack keeps the code it waited in (<see cref="CodeFrames"/>). Null: stacks keep addresses.</param>
    /// <param name="labels">What the label sets on the waits stand for, which someone else feeds; null: waits carry no labels.</param>
    public ContentionSampler(Func<long, bool> isProfilerThread, long timestampFrequency, long budgetBytes = AllocationSampler.DefaultBudgetBytes, MethodAddressMap? methods = null, LabelSets? labels = null)
    {
        _labels = labels;
        _methods = methods;
        _isProfilerThread = isProfilerThread;
        _nanosPerTick = 1e9 / timestampFrequency;
        _sites = new BoundedSites<Accumulator>(budgetBytes);
        methods?.Hold(this);
    }

    public void AddCodeIds(ISet<int> ids)
    {
        lock (_gate) _sites.AddCodeIds(ids); // a waiter's stack is interned when its wait begins, so it is among these
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsContentionStart(record.Metadata))
        {
            if (_isProfilerThread(record.ThreadId) || !ClrEventPayloads.TryReadContentionStart(record.Payload, out var managed)) return;

            lock (_gate)
            {
                var stack = _methods is null ? record.Stack : _methods.ToCodeFrames(record.Stack, ref _frames);
                var labels = _labels is null ? 0 : LabelActivityIds.LabelSetOf(record.ActivityId);
                _waiting[record.ThreadId] = (_sites.InternStack(stack), _sites.Generation, managed, record.Timestamp, labels);
            }
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
                // A wait that began before the table was last compacted has lost its stack number: it joins the merged ones.
                var stack = start.Generation == _sites.Generation ? start.Stack : _sites.OtherStacks;
                _sites.Add(stack, start.Managed ? 1 : 0, start.Labels, new Accumulator(Count: 1, (long)nanos));
            }
        }
    }

    /// <summary>The number of distinct waiter stacks so far (of managed locks only, or of all): the counts on the index page.</summary>
    public int SiteCount(bool managedOnly)
    {
        lock (_gate) return managedOnly ? _sites.CountOfKey(1) : _sites.Count;
    }

    /// <summary>What keeping the waiters' stacks within their budget has done so far.</summary>
    public StackBounds Bounds
    {
        get
        {
            lock (_gate) return _sites.Bounds;
        }
    }

    public IReadOnlyList<ContentionSite> Snapshot()
    {
        lock (_gate)
        {
            return _sites.Sites().Select(site => new ContentionSite(site.Stack, Managed: site.Key == 1, site.Value.Count, site.Value.DelayNanos) { Labels = _labels?.Of(site.Labels) ?? [] }).ToList();
        }
    }

    private readonly record struct Accumulator(long Count, long DelayNanos) : ISiteValue<Accumulator>
    {
        public double Weight => DelayNanos;

        public Accumulator Plus(in Accumulator other) => new(Count + other.Count, DelayNanos + other.DelayNanos);
    }
}
