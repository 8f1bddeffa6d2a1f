using System.Diagnostics;
using System.Runtime.InteropServices;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Heap;

/// <summary>
/// Reads one gcdump-style heap walk from a session with <see cref="HeapSnapshotEvents.SnapshotKeywords"/>:
/// the GCBulkNode objects and BulkType names of the first blocking gen2 GC, as dotnet-gcdump does
/// (dotnet/diagnostics EventPipeDotNetHeapDumper). Edges and roots are not kept: the profile is by type.
/// </summary>
/// <remarks>
/// Events arrive in stream order, which is per-thread buffer order, not time order: under Server GC
/// the walking GC's GCStart comes from one GC thread and its objects and GCEnd from another, and
/// the GCStart can arrive after all of them. So each batch of objects is kept with its timestamp,
/// and the walk is the batches between that GC's start and end in time, whatever order they came in.
/// </remarks>
internal sealed class HeapSnapshotCollector : INetTraceHandler
{
    private readonly List<Batch> _batches = new();
    private readonly Dictionary<int, long> _gcEnds = new();
    private readonly List<long> _suspendBegins = new();
    private readonly List<long> _restartEnds = new();
    private readonly HeapTypeNames _names;
    private readonly ManualResetEventSlim _gcEnded = new();
    private readonly HeapSnapshotEvents.BulkTypeVisitor _addType;
    private int _gcNumber;
    private long _gcStart;
    private long _gcEnd;

    public HeapSnapshotCollector(HeapTypeNames names)
    {
        _names = names;
        _addType = names.Add;
    }

    /// <summary>Set once the walking GC's start and end have both been seen (its objects are all in the stream before its end).</summary>
    public WaitHandle GcEnded => _gcEnded.WaitHandle;

    public void OnEvent(in TraceEventRecord record)
    {
        switch (record.Metadata.Kind)
        {
            case ClrEventKind.GCBulkNode:
                AddBatch(record);
                break;
            case ClrEventKind.BulkType:
                HeapSnapshotEvents.ReadBulkTypes(record.Payload, _addType);
                break;
            case ClrEventKind.GCSuspendEEBegin:
                _suspendBegins.Add(record.Timestamp);
                break;
            case ClrEventKind.GCRestartEEEnd:
                _restartEnds.Add(record.Timestamp);
                break;
            case ClrEventKind.GCStart:
                if (_gcNumber == 0
                    && HeapSnapshotEvents.TryReadGc(record.Payload, out var count, out var depth, out var type)
                    && depth == 2 && type != HeapSnapshotEvents.BackgroundGcType)
                {
                    _gcNumber = count;
                    _gcStart = record.Timestamp;
                    if (_gcEnds.TryGetValue(count, out var end)) EndWalk(end);
                }

                break;
            case ClrEventKind.GCEnd:
                if (HeapSnapshotEvents.TryReadGc(record.Payload, out var ended, out _, out _))
                {
                    _gcEnds[ended] = record.Timestamp;
                    if (ended == _gcNumber) EndWalk(record.Timestamp);
                }

                break;
        }
    }

    /// <summary>The totals by type; call after the session has stopped and the reader has drained it.</summary>
    public HeapSnapshot ToSnapshot(TimeSpan elapsed)
    {
        var byType = new Dictionary<ulong, (long Objects, long Bytes)>();
        var indexes = new HashSet<int>();
        foreach (var batch in _batches.Where(InWalk))
        {
            indexes.Add(batch.Index);
            foreach (var (typeId, objects, bytes) in batch.Totals)
            {
                ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(byType, typeId, out _);
                totals = (totals.Objects + objects, totals.Bytes + bytes);
            }
        }

        var types = new Dictionary<string, (long Objects, long Bytes)>(StringComparer.Ordinal);
        foreach (var (typeId, totals) in byType)
        {
            var name = _names.NameOf(typeId);
            types.TryGetValue(name, out var sum);
            types[name] = (sum.Objects + totals.Objects, sum.Bytes + totals.Bytes);
        }

        var list = types.Select(t => new HeapTypeTotal(t.Key, t.Value.Objects, t.Value.Bytes)).OrderByDescending(t => t.Bytes).ToList();

        // EventPipe drops events when its buffer is full; the walk numbers its batches, so gaps show it.
        var lost = indexes.Count == 0 ? 0 : indexes.Max() + 1 - indexes.Count;
        return new HeapSnapshot(list, Pause(), elapsed, _gcEnded.IsSet, lost);
    }

    private void AddBatch(in TraceEventRecord record)
    {
        if (_gcEnded.IsSet && record.Timestamp > _gcEnd) return; // a later walk's, if any: not this snapshot's

        HeapSnapshotEvents.TryReadBulkIndex(record.Payload, out var index);
        var totals = new Dictionary<ulong, (long Objects, long Bytes)>();
        HeapSnapshotEvents.ReadBulkNodes(record.Payload, record.PointerSize, (typeId, size) =>
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(totals, typeId, out _);
            entry = (entry.Objects + 1, entry.Bytes + size);
        });
        _batches.Add(new Batch(record.Timestamp, index, totals.Select(t => (t.Key, t.Value.Objects, t.Value.Bytes)).ToArray()));
    }

    private void EndWalk(long endTimestamp)
    {
        _gcEnd = endTimestamp;
        _gcEnded.Set();
    }

    /// <summary>A batch belongs to the walk when it lies between the walking GC's start and end (a bound not seen yet is open).</summary>
    private bool InWalk(Batch batch) =>
        _gcNumber != 0 && batch.Timestamp >= _gcStart && (!_gcEnded.IsSet || batch.Timestamp <= _gcEnd);

    /// <summary>From the last SuspendEEBegin before the walking GC's start to the first RestartEEEnd after its end.</summary>
    private TimeSpan? Pause()
    {
        if (!_gcEnded.IsSet) return null;

        var begins = _suspendBegins.Where(t => t <= _gcStart).ToList();
        var ends = _restartEnds.Where(t => t >= _gcEnd).ToList();
        if (begins.Count == 0 || ends.Count == 0) return null;

        return TimeSpan.FromSeconds((double)(ends.Min() - begins.Max()) / Stopwatch.Frequency);
    }

    /// <summary>One GCBulkNode event: when it was written, its place in the walk, and its objects by type.</summary>
    private sealed record Batch(long Timestamp, int Index, (ulong TypeId, long Objects, long Bytes)[] Totals);
}
