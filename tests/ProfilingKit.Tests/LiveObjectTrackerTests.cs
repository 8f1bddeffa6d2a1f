using System.Buffers.Binary;
using System.Diagnostics;
using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Tests;

/// <summary>
/// How <see cref="LiveObjectTracker"/> reads a GC session's events: in timestamp order once the streams
/// say all before has arrived, whatever order they came in; a GC whose end was lost closes without
/// deaths when the next one starts.
/// </summary>
public class LiveObjectTrackerTests
{
    private const ulong Gen0 = 0x10_0000, Gen2 = 0x30_0000;

    private static readonly EventMetadata Start = new(1, ClrEvents.RuntimeProvider, ClrEvents.GCStartEventId, 2);
    private static readonly EventMetadata End = new(2, ClrEvents.RuntimeProvider, ClrEvents.GCEndEventId, 1);
    private static readonly EventMetadata Region = new(3, ClrEvents.RuntimeProvider, ClrEvents.GCGenerationRangeEventId, 0);
    private static readonly EventMetadata Survived = new(4, ClrEvents.RuntimeProvider, ClrEvents.GCBulkSurvivingObjectRangesEventId, 0);
    private static readonly EventMetadata Moved = new(5, ClrEvents.RuntimeProvider, ClrEvents.GCBulkMovedObjectRangesEventId, 0);

    private readonly LiveObjectTracker _tracker = new(Stopwatch.Frequency);
    private readonly long _t0 = Stopwatch.GetTimestamp() - 60 * Stopwatch.Frequency; // a minute ago: every stream has been quiet since

    [Fact]
    public void A_gc_s_events_are_read_in_time_order_whatever_order_they_arrive_in()
    {
        _tracker.Add(Gen0 + 0x10, _t0, [1], type: 0, labels: 0, objects: 1, bytes: 100);
        _tracker.Add(Gen0 + 0x20, _t0, [2], type: 0, labels: 0, objects: 1, bytes: 100);

        // The end (another thread's run) arrives before the start, its regions and its survivors.
        Event(End, 5, GcEnd(1));
        Event(Survived, 3, GcSurvivalTests.Surviving((Gen0 + 0x10, 0x10)));
        Event(Region, 2, GenerationRange(0, Gen0, 0x1000));
        Event(Start, 1, GcStart(1, depth: 0));
        Flush();

        var live = _tracker.Snapshot(Stopwatch.GetTimestamp());
        Assert.Equal(1, live.Counts.AppliedGcs);
        Assert.Equal([Gen0 + 0x10], live.Objects.Select(o => o.Address));
    }

    [Fact]
    public void A_gc_whose_end_was_lost_applies_its_moves_and_no_deaths()
    {
        TwoObjectsAndAGcThatMovesOne(); // and its GCEnd lost
        Event(Start, 10, GcStart(2, depth: 0));
        Event(Region, 11, GenerationRange(2, Gen2, 0x1000));
        Event(Region, 12, GenerationRange(0, Gen0, 0x1000));
        Event(Survived, 13, GcSurvivalTests.Surviving((Gen0 + 0x20, 0x10)));
        Event(End, 14, GcEnd(2));
        Flush();

        var live = _tracker.Snapshot(Stopwatch.GetTimestamp());
        Assert.Equal([Gen0 + 0x20, Gen2], live.Objects.Select(o => o.Address).Order()); // moved by the first, kept by the second
        Assert.Equal(1, live.Counts.IncompleteGcs);
    }

    [Fact]
    public void A_gc_during_which_the_runtime_dropped_events_applies_its_moves_and_no_deaths()
    {
        TwoObjectsAndAGcThatMovesOne();
        _tracker.OnLost(5, _t0 + 3, _t0 + 5); // the batch that held the other survivor, say
        Event(End, 5, GcEnd(1));
        Flush();

        var live = _tracker.Snapshot(Stopwatch.GetTimestamp());
        Assert.Equal([Gen0 + 0x20, Gen2], live.Objects.Select(o => o.Address).Order());
        Assert.Equal(1, live.Counts.IncompleteGcs);
    }

    [Fact]
    public void Nothing_is_read_while_a_busy_stream_has_not_caught_up()
    {
        var recent = Stopwatch.GetTimestamp();
        _tracker.Add(Gen0 + 0x10, recent, [1], type: 0, labels: 0, objects: 1, bytes: 100);
        _tracker.OnEvent(new TraceEventRecord(Start, 8, 1, recent + 1, [], GcStart(1, depth: 0)));
        _tracker.OnEvent(new TraceEventRecord(Region, 8, 1, recent + 2, [], GenerationRange(0, Gen0, 0x1000)));
        _tracker.OnEvent(new TraceEventRecord(End, 8, 1, recent + 3, [], GcEnd(1)));

        Assert.Equal(0, _tracker.Snapshot(Stopwatch.GetTimestamp()).Counts.AppliedGcs); // both streams are busy and said nothing yet

        _tracker.OnFlushed(recent + 4);
        _tracker.SamplesFlushed(recent + 4);
        var live = _tracker.Snapshot(Stopwatch.GetTimestamp());
        Assert.Equal(1, live.Counts.AppliedGcs);
        Assert.Empty(live.Objects); // condemned in gen0, held by no range
    }

    /// <summary>Two objects in gen0, and the start of a gen0 GC that moves the first to gen2 (what it says of the second is to come, or lost).</summary>
    private void TwoObjectsAndAGcThatMovesOne()
    {
        _tracker.Add(Gen0 + 0x10, _t0, [1], type: 0, labels: 0, objects: 1, bytes: 100);
        _tracker.Add(Gen0 + 0x20, _t0, [2], type: 0, labels: 0, objects: 1, bytes: 100);

        Event(Start, 1, GcStart(1, depth: 0));
        Event(Region, 2, GenerationRange(0, Gen0, 0x1000));
        Event(Moved, 3, GcSurvivalTests.Moved((Gen0 + 0x10, Gen2, 0x10)));
    }

    /// <summary>Both streams say all before has arrived.</summary>
    private void Flush()
    {
        _tracker.OnFlushed(_t0 + 100);
        _tracker.SamplesFlushed(_t0 + 100);
    }

    private void Event(EventMetadata metadata, long offset, byte[] payload) =>
        _tracker.OnEvent(new TraceEventRecord(metadata, 8, 1, _t0 + offset, [], payload));

    private static byte[] GcStart(uint number, uint depth)
    {
        var payload = new byte[26];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, number);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), depth);
        return payload;
    }

    private static byte[] GcEnd(uint number)
    {
        var payload = new byte[10];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, number);
        return payload;
    }

    private static byte[] GenerationRange(byte generation, ulong start, ulong used)
    {
        var payload = new byte[27];
        payload[0] = generation;
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(1), start);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(9), used);
        return payload;
    }
}
