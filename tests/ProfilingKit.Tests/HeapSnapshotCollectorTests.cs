using System.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Heap;

namespace ProfilingKit.Tests;

/// <summary>One heap walk fed event by event, as a snapshot session delivers it.</summary>
public class HeapSnapshotCollectorTests
{
    private const ulong RecordArray = 0x10, Record = 0x20, Text = 0x30;

    private readonly HeapTypeNames _names = new();
    private readonly HeapSnapshotCollector _collector;

    public HeapSnapshotCollectorTests() => _collector = new HeapSnapshotCollector(_names);

    [Fact]
    public void Objects_of_the_blocking_gen2_gc_are_summed_by_type_name()
    {
        Feed(ClrEvents.GCStartEventId, HeapEventPayloads.Gc(count: 7, depth: 2, type: 1)); // a background GC walks nothing
        Feed(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(0, (RecordArray, 1000)));
        Feed(ClrEvents.GCStartEventId, HeapEventPayloads.Gc(count: 8, depth: 2, type: 0));
        Feed(ClrEvents.BulkTypeEventId, HeapEventPayloads.Types((RecordArray, 0x1D, "", Record), (Record, 0x11, "App.Record", 0), (Text, 0x0E, "System.String", 0)));
        Feed(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(0, (RecordArray, 65_560), (Text, 40), (RecordArray, 65_560)));
        Feed(ClrEvents.GCEndEventId, HeapEventPayloads.Gc(count: 8, depth: 2, type: 0));
        Feed(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(1, (Text, 40))); // after the end: not part of the walk

        var snapshot = _collector.ToSnapshot(TimeSpan.FromMilliseconds(5));

        Assert.True(snapshot.Complete);
        Assert.Equal(0, snapshot.LostBatches);
        Assert.Equal([new HeapTypeTotal("App.Record[]", 2, 131_120), new HeapTypeTotal("System.String", 1, 40)], snapshot.Types);
    }

    [Fact]
    public void A_gap_in_the_walks_numbering_counts_as_lost_events_and_unknown_types_keep_their_id()
    {
        Feed(ClrEvents.GCStartEventId, HeapEventPayloads.Gc(count: 3, depth: 2, type: 0));
        Feed(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(0, (0xABC, 24)));
        Feed(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(3, (0xABC, 24)));

        var snapshot = _collector.ToSnapshot(TimeSpan.Zero);

        Assert.False(snapshot.Complete);
        Assert.Equal(2, snapshot.LostBatches);
        Assert.Equal("[type 0xabc]", Assert.Single(snapshot.Types).TypeName);
    }

    [Fact]
    public void Under_server_gc_the_walking_gcs_start_may_come_last_and_the_walk_is_still_whole()
    {
        // Stream order is per-thread buffer order: the GC thread that logged GCStart flushed after the one that walked.
        FeedAt(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(0, (RecordArray, 65_560)), timestamp: 30, thread: 2);
        FeedAt(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(1, (RecordArray, 65_560), (Text, 40)), timestamp: 40, thread: 2);
        FeedAt(ClrEvents.GCEndEventId, HeapEventPayloads.Gc(count: 4, depth: 2, type: 0), timestamp: 50, thread: 2);
        FeedAt(ClrEvents.GCStartEventId, HeapEventPayloads.Gc(count: 4, depth: 2, type: 0), timestamp: 20, thread: 3);
        Assert.True(_collector.GcEnded.WaitOne(0)); // the session can stop: start and end are both known
        FeedAt(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(2, (Text, 40)), timestamp: 45, thread: 4); // another thread's batch, flushed late
        FeedAt(ClrEvents.GCBulkNodeEventId, HeapEventPayloads.Nodes(0, (Text, 40)), timestamp: 90, thread: 2); // after the walk's end

        var snapshot = _collector.ToSnapshot(TimeSpan.FromMilliseconds(5));

        Assert.True(snapshot.Complete);
        Assert.Equal(0, snapshot.LostBatches);
        Assert.Equal(4, snapshot.Objects); // two record arrays and two strings
        Assert.Equal(2 * 65_560 + 2 * 40, snapshot.Bytes);
    }

    [Fact]
    public void The_pause_is_from_the_suspension_before_the_walking_gc_to_the_restart_after_it_in_any_stream_order()
    {
        FeedAt(ClrEvents.GCRestartEEEndEventId, [], timestamp: 10 + Stopwatch.Frequency / 100, thread: 2); // 10 ms after the suspension
        FeedAt(ClrEvents.GCEndEventId, HeapEventPayloads.Gc(count: 9, depth: 2, type: 0), timestamp: 10 + Stopwatch.Frequency / 200, thread: 2);
        FeedAt(ClrEvents.GCSuspendEEBeginEventId, [], timestamp: 10, thread: 3);
        FeedAt(ClrEvents.GCStartEventId, HeapEventPayloads.Gc(count: 9, depth: 2, type: 0), timestamp: 11, thread: 3);

        var pause = _collector.ToSnapshot(TimeSpan.Zero).Pause;

        Assert.NotNull(pause);
        Assert.Equal(10, pause.Value.TotalMilliseconds, 0.01);
    }

    private long _clock;

    /// <summary>Feeds in time order, one tick apart, on one thread: what a workstation GC's session delivers.</summary>
    private void Feed(int eventId, byte[] payload) => FeedAt(eventId, payload, ++_clock, thread: 1);

    private void FeedAt(int eventId, byte[] payload, long timestamp, long thread)
    {
        var metadata = new EventMetadata(1, ClrEvents.RuntimeProvider, eventId, 0);
        _collector.OnEvent(new TraceEventRecord(metadata, 8, threadId: thread, timestamp, ReadOnlySpan<ulong>.Empty, payload));
    }
}
