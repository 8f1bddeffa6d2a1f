using System.Diagnostics;
using System.Runtime.InteropServices;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Heap;

/// <summary>
/// Reads one gcdump-style heap walk from a session with <see cref="HeapSnapshotEvents.SnapshotKeywords"/>:
/// the GCBulkNode objects and BulkType names of the first blocking gen2 GC, as dotnet-gcdump does
/// (dotnet/diagnostics EventPipeDotNetHeapDumper). Edges and roots are not kept: the profile is by type.
/// </summary>
internal sealed class HeapSnapshotCollector : INetTraceHandler
{
    private readonly Dictionary<ulong, Totals> _byType = new();
    private readonly HeapTypeNames _names;
    private readonly ManualResetEventSlim _gcEnded = new();
    private readonly Action<ulong, long> _addObject;
    private readonly HeapSnapshotEvents.BulkTypeVisitor _addType;
    private int _gcNumber;
    private long _lastSuspendBegin;
    private long _pauseBegin;
    private long _pauseEnd;
    private int _nextIndex;
    private int _lostBatches;

    public HeapSnapshotCollector(HeapTypeNames names)
    {
        _names = names;
        _addObject = AddObject;
        _addType = names.Add;
    }

    /// <summary>Set once the walking GC has ended (its objects are all in the stream before its end).</summary>
    public WaitHandle GcEnded => _gcEnded.WaitHandle;

    public void OnEvent(in TraceEventRecord record)
    {
        var metadata = record.Metadata;
        if (metadata.Kind == ClrEventKind.GCBulkNode)
        {
            if (_gcNumber != 0 && !_gcEnded.IsSet)
            {
                CountLostBatches(record.Payload);
                HeapSnapshotEvents.ReadBulkNodes(record.Payload, record.PointerSize, _addObject);
            }
        }
        else if (metadata.Kind == ClrEventKind.BulkType)
        {
            HeapSnapshotEvents.ReadBulkTypes(record.Payload, _addType);
        }
        else if (metadata.Kind == ClrEventKind.GCSuspendEEBegin)
        {
            _lastSuspendBegin = record.Timestamp;
        }
        else if (metadata.Kind == ClrEventKind.GCStart)
        {
            if (_gcNumber == 0
                && HeapSnapshotEvents.TryReadGc(record.Payload, out var count, out var depth, out var type)
                && depth == 2 && type != HeapSnapshotEvents.BackgroundGcType)
            {
                _gcNumber = count;
                _pauseBegin = _lastSuspendBegin;
            }
        }
        else if (metadata.Kind == ClrEventKind.GCEnd)
        {
            if (_gcNumber != 0 && HeapSnapshotEvents.TryReadGc(record.Payload, out var count, out _, out _) && count == _gcNumber)
            {
                _gcEnded.Set();
            }
        }
        else if (metadata.Kind == ClrEventKind.GCRestartEEEnd)
        {
            if (_gcEnded.IsSet && _pauseEnd == 0) _pauseEnd = record.Timestamp;
        }
    }

    /// <summary>The totals by type; call after the session has stopped and the reader has drained it.</summary>
    public HeapSnapshot ToSnapshot(TimeSpan elapsed)
    {
        var types = new Dictionary<string, (long Objects, long Bytes)>(StringComparer.Ordinal);
        foreach (var (typeId, totals) in _byType)
        {
            var name = _names.NameOf(typeId);
            types.TryGetValue(name, out var sum);
            types[name] = (sum.Objects + totals.Objects, sum.Bytes + totals.Bytes);
        }

        var list = types.Select(t => new HeapTypeTotal(t.Key, t.Value.Objects, t.Value.Bytes)).OrderByDescending(t => t.Bytes).ToList();
        TimeSpan? pause = _pauseBegin != 0 && _pauseEnd > _pauseBegin
            ? TimeSpan.FromSeconds((double)(_pauseEnd - _pauseBegin) / Stopwatch.Frequency)
            : null;
        return new HeapSnapshot(list, pause, elapsed, _gcEnded.IsSet, _lostBatches);
    }

    /// <summary>EventPipe drops events when its buffer is full; the walk numbers its batches, so gaps show it.</summary>
    private void CountLostBatches(ReadOnlySpan<byte> payload)
    {
        if (!HeapSnapshotEvents.TryReadBulkIndex(payload, out var index)) return;

        if (index > _nextIndex) _lostBatches += index - _nextIndex;
        _nextIndex = index + 1;
    }

    private void AddObject(ulong typeId, long size)
    {
        ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(_byType, typeId, out _);
        totals.Objects++;
        totals.Bytes += size;
    }

    private struct Totals
    {
        public long Objects;
        public long Bytes;
    }
}
