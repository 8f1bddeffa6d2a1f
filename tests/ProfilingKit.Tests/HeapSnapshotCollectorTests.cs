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

    private void Feed(int eventId, byte[] payload)
    {
        var metadata = new EventMetadata(1, ClrEvents.RuntimeProvider, eventId, 0);
        _collector.OnEvent(new TraceEventRecord(metadata, 8, threadId: 1, timestamp: 0, ReadOnlySpan<ulong>.Empty, payload));
    }
}
