using System.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>
/// Go's <c>heap</c> by allocation stack: follows each sampled allocation (AllocationSampled carries
/// its address) through the GCs that come after it, from the runtime's GCHeapSurvivalAndMovement
/// events: at each GC's start the regions of every generation (GCGenerationRange), then the address
/// ranges of the objects it kept (GCBulkSurvivingObjectRanges when it swept, GCBulkMovedObjectRanges,
/// old and new, when it compacted). An object the GC condemned (its region's generation at most the
/// GC's depth; gen2, LOH and POH for a background GC) that no range holds has died; one in a moved
/// range has moved with it. What is live is then an unbiased estimate of the live heap by stack, as of
/// the last GC, as Go's heap profile is; nothing is paused beyond what the GC does anyway.
/// </summary>
/// <remarks>
/// The samples and the GC events come from two sessions (the GC events at Informational, where the
/// always-on session's Verbose would add the runtime's AllocationTick to every sample), so they arrive
/// out of step; and within a session the writer hands out each thread's events in runs, seconds apart
/// when the app is busy (a background GC's survivors and end come from its own thread, Server GC's from
/// several). So the GC events wait in timestamp order until both streams say that everything before
/// them has arrived (a sorted event or a sequence point, <see cref="INetTraceHandler.OnFlushed"/>; a
/// stream quiet for <see cref="QuietDelay"/> has nothing more in flight), and a GC applies only to
/// objects sampled before it started. A sample that arrives after a later GC was applied cannot be
/// followed and is counted as late.
/// </remarks>
internal sealed class LiveObjectTracker : INetTraceHandler
{
    /// <summary>The most objects followed at once: about 20 GB of live heap at one sample per 100 KB.</summary>
    public const int MaxObjects = 200_000;

    /// <summary>How long a stream must have been quiet for what it handed out last to count as all there is up to now.</summary>
    public static readonly TimeSpan QuietDelay = TimeSpan.FromSeconds(1);

    /// <summary>The most GC events kept waiting; past it the oldest are read anyway (and the comment says so).</summary>
    public const int MaxWaitingEvents = 500_000;

    private readonly object _gate = new();
    private readonly long _quietTicks;
    private readonly PriorityQueue<GcEvent, (long Timestamp, long Received)> _events = new(); // read, not yet settled
    private readonly List<GcSurvival> _open = new(); // started, not ended: a background GC holds the foreground ones that run during it
    private readonly StreamProgress _gcs = new();
    private readonly StreamProgress _samples = new();
    private long _received;
    private long _forced;
    private long _incompleteGcs;
    private readonly List<(long From, long To)> _lost = new(); // when the GC session lost events
    private List<TrackedObject> _pending = new(); // sampled, not yet through an applied GC
    private Dictionary<ulong, TrackedObject> _live = new();
    private long _asOf = long.MinValue; // the start of the latest applied GC: what was sampled before it and kept is live
    private long _appliedGcs;
    private long _late;
    private long _dropped;

    /// <param name="ticksPerSecond">The frequency of the events' timestamps, which <see cref="Stopwatch.GetTimestamp"/> shares (a process of this machine).</param>
    public LiveObjectTracker(long ticksPerSecond) => _quietTicks = (long)(QuietDelay.TotalSeconds * ticksPerSecond);

    /// <summary>Follows an object sampled at <paramref name="address"/> at <paramref name="timestamp"/>, standing for <paramref name="objects"/> objects and <paramref name="bytes"/> bytes.</summary>
    public void Add(ulong address, long timestamp, ulong[] stack, int type, int labels, double objects, double bytes)
    {
        lock (_gate)
        {
            _samples.Arrived(Stopwatch.GetTimestamp());
            if (timestamp < _asOf)
            {
                _late++;
                return;
            }

            if (_pending.Count + _live.Count >= MaxObjects)
            {
                _dropped++;
                return;
            }

            _pending.Add(new TrackedObject(address, timestamp, stack, type, labels, objects, bytes));
        }
    }

    public void OnEvent(in TraceEventRecord record)
    {
        switch (record.Metadata.Kind)
        {
            case ClrEventKind.GCStart:
            case ClrEventKind.GCEnd:
            case ClrEventKind.GCGenerationRange:
            case ClrEventKind.GCSurvivingRanges:
            case ClrEventKind.GCMovedRanges:
                lock (_gate)
                {
                    var now = Stopwatch.GetTimestamp();
                    _gcs.Arrived(now);
                    _events.Enqueue(new GcEvent(record.Metadata.Kind, record.PointerSize, record.Payload.ToArray()), (record.Timestamp, _received++));
                    Settle(now);
                }

                break;
        }
    }

    /// <summary>The GC session has handed out every event before <paramref name="timestamp"/>.</summary>
    public void OnFlushed(long timestamp)
    {
        lock (_gate) _gcs.Flushed(timestamp);
    }

    /// <summary>The runtime dropped GC events written between <paramref name="from"/> and <paramref name="to"/>: a GC in that time is seen only in part.</summary>
    public void OnLost(long count, long from, long to)
    {
        lock (_gate) _lost.Add((from, to));
    }

    /// <summary>The samples' session has handed out every event before <paramref name="timestamp"/>.</summary>
    public void SamplesFlushed(long timestamp)
    {
        lock (_gate) _samples.Flushed(timestamp);
    }

    /// <summary>The objects sampled before the last applied GC and still live after it, as of <paramref name="now"/> (applying the GCs that have settled).</summary>
    public LiveObjects Snapshot(long now)
    {
        lock (_gate)
        {
            Settle(now);
            var live = _live.Values.Where(o => o.Timestamp < _asOf).ToList();
            return new LiveObjects(live, new LiveHeapCounts(_appliedGcs, _late, _dropped, _forced, _incompleteGcs));
        }
    }

    /// <summary>Adds the id of every code body the followed objects' stacks name.</summary>
    public void AddCodeIds(ISet<int> ids)
    {
        lock (_gate)
        {
            foreach (var tracked in _pending.Concat(_live.Values))
            {
                foreach (var frame in tracked.Stack)
                {
                    if (CodeFrames.TryDecode(frame, out var id, out _)) ids.Add(id);
                }
            }
        }
    }

    /// <summary>
    /// Reads the waiting GC events, in timestamp order, up to where both streams have handed out
    /// everything, and applies each GC as its end is read. Past <see cref="MaxWaitingEvents"/>, the
    /// oldest are read anyway, counted as forced.
    /// </summary>
    private void Settle(long now)
    {
        var upTo = Math.Min(_gcs.Complete(now, _quietTicks), _samples.Complete(now, _quietTicks));
        while (_events.TryPeek(out var e, out var order) && (order.Timestamp < upTo || _events.Count > MaxWaitingEvents))
        {
            if (order.Timestamp >= upTo) _forced++;
            _events.Dequeue();
            Read(e, order.Timestamp);
        }
    }

    private void Read(GcEvent e, long timestamp)
    {
        switch (e.Kind)
        {
            case ClrEventKind.GCStart when ClrEventPayloads.TryReadGcStart(e.Payload, out var number, out var depth, out var background):
                CloseUnended(number, background);
                _open.Add(new GcSurvival(number, depth, background, timestamp));
                break;
            case ClrEventKind.GCGenerationRange when ClrEventPayloads.TryReadGenerationRange(e.Payload, e.PointerSize, out var generation, out var start, out var used):
                _open.LastOrDefault(gc => !gc.ListsRanges)?.AddRegion(generation, start, used); // the GC whose start lists them
                break;
            case ClrEventKind.GCMovedRanges:
                _open.LastOrDefault(gc => !gc.Background)?.AddRanges(e.Payload, e.PointerSize, moved: true); // only a blocking GC compacts
                break;
            case ClrEventKind.GCSurvivingRanges:
                // A background GC lists what it kept from its own thread, while foreground GCs may run: the ranges go
                // to every open GC. Where they are not a GC's own, they lie in regions it did not condemn.
                foreach (var gc in _open) gc.AddRanges(e.Payload, e.PointerSize, moved: false);
                break;
            case ClrEventKind.GCEnd when ClrEventPayloads.TryReadGcEnd(e.Payload, out var ended):
                var index = _open.FindLastIndex(gc => gc.Number == ended);
                if (index < 0) break; // the session started during this GC
                var survival = _open[index];
                _open.RemoveAt(index);
                var complete = !_lost.Exists(lost => lost.From <= timestamp && lost.To >= survival.Start);
                if (!complete) _incompleteGcs++;
                Apply(survival, complete);
                _lost.RemoveAll(lost => lost.To < _asOf); // before the GCs still to come
                break;
        }
    }

    /// <summary>
    /// Before GC <paramref name="number"/> starts, closes the GCs whose end was lost (the runtime drops
    /// events when the reader falls behind): blocking GCs never overlap, and a background GC does not
    /// overlap another. What they said of moves is applied, and no death: without all their ranges a
    /// missing one is no proof.
    /// </summary>
    private void CloseUnended(long number, bool background)
    {
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var gc = _open[i];
            if (gc.Background != background || gc.Number >= number) continue;

            _open.RemoveAt(i);
            _incompleteGcs++;
            Apply(gc, complete: false);
        }
    }

    private void Apply(GcSurvival gc, bool complete = true)
    {
        var pending = new List<TrackedObject>();
        foreach (var tracked in _pending)
        {
            if (tracked.Timestamp < gc.Start) _live[tracked.Address] = tracked;
            else pending.Add(tracked);
        }

        _pending = pending;
        var next = new Dictionary<ulong, TrackedObject>(_live.Count);
        foreach (var tracked in _live.Values)
        {
            if (tracked.Timestamp >= gc.Start)
            {
                next[tracked.Address] = tracked; // sampled during a background GC, which keeps what is allocated while it runs
                continue;
            }

            if (gc.Follow(tracked.Address, condemn: complete) is { } address) next[address] = tracked with { Address = address };
        }

        _live = next;
        _asOf = Math.Max(_asOf, gc.Start);
        _appliedGcs++;
    }
}

/// <summary>How far a session's stream has surely been handed out: what its sorted events and sequence points say, or, once it has been quiet a while, up to then.</summary>
internal sealed class StreamProgress
{
    private long _flushed = long.MinValue;
    private long _lastArrival = long.MinValue;

    public void Arrived(long now) => _lastArrival = now;

    public void Flushed(long timestamp) => _flushed = Math.Max(_flushed, timestamp);

    /// <summary>The time before which every event of the stream has arrived.</summary>
    public long Complete(long now, long quietTicks) => now - _lastArrival >= quietTicks ? Math.Max(_flushed, now - quietTicks) : _flushed;
}

/// <summary>A GC event kept until it has settled: its payload copied out of the reader's buffer.</summary>
internal sealed record GcEvent(ClrEventKind Kind, int PointerSize, byte[] Payload);

/// <summary>One sampled object followed through GCs: where it is now, when it was sampled, and what it stands for.</summary>
internal readonly record struct TrackedObject(ulong Address, long Timestamp, ulong[] Stack, int Type, int Labels, double Objects, double Bytes);

/// <summary>The followed objects live as of the last applied GC, and what could not be followed.</summary>
internal sealed record LiveObjects(IReadOnlyList<TrackedObject> Objects, LiveHeapCounts Counts);

/// <summary>How far the sampled objects were followed, and what could not be.</summary>
/// <param name="AppliedGcs">How many GCs the objects were followed through.</param>
/// <param name="Late">Samples that arrived after a later GC was applied, left out.</param>
/// <param name="Dropped">Samples left out because <see cref="LiveObjectTracker.MaxObjects"/> were followed.</param>
/// <param name="Forced">GC events read before their streams said all before them had arrived (<see cref="LiveObjectTracker.MaxWaitingEvents"/>).</param>
/// <param name="IncompleteGcs">GCs seen in part (their end, or other events, lost): their moves were applied, their deaths not.</param>
internal sealed record LiveHeapCounts(long AppliedGcs, long Late, long Dropped, long Forced, long IncompleteGcs);
