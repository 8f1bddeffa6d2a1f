using System.Runtime.InteropServices;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>
/// Aggregates the runtime's AllocationSampled events by stack and type, and feeds method load
/// events to the address map (and method, IL-map and module events to the line map), as they
/// arrive on the session's reader thread.
/// </summary>
internal sealed class AllocationSampler : INetTraceHandler
{
    private readonly object _gate = new();
    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap? _lines;
    private readonly Func<long, bool> _isProfilerThread;
    private readonly StackTable _stacks = new();
    private readonly Dictionary<string, int> _typeIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _typeLookup;
    private readonly List<string> _types = new();
    private readonly Dictionary<SiteKey, Accumulator> _sites = new();
    private readonly DateTimeOffset _since = DateTimeOffset.UtcNow;
    private long _samples;

    public AllocationSampler(MethodAddressMap methods, Func<long, bool> isProfilerThread, SourceLineMap? lines = null)
    {
        _methods = methods;
        _lines = lines;
        _isProfilerThread = isProfilerThread;
        _typeLookup = _typeIndex.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsAllocationSampled(record.Metadata))
        {
            AddSample(record);
        }
        else
        {
            _methods.TryAdd(record);
            _lines?.TryAdd(record);
        }
    }

    /// <summary>The number of distinct stacks sampled so far.</summary>
    public int StackCount
    {
        get
        {
            lock (_gate) return _stacks.Count;
        }
    }

    public AllocationSnapshot Snapshot()
    {
        lock (_gate)
        {
            var sites = new List<AllocationSite>(_sites.Count);
            foreach (var (key, value) in _sites)
            {
                sites.Add(new AllocationSite(_stacks[key.Stack], _types[key.Type], value.Objects, value.Bytes, value.Samples));
            }

            return new AllocationSnapshot(sites, _samples, _since);
        }
    }

    private void AddSample(in TraceEventRecord record)
    {
        if (!ClrEventPayloads.TryReadAllocationSampled(record.Payload, record.PointerSize, out var typeName, out var size)) return;

        lock (_gate)
        {
            if (_isProfilerThread(record.ThreadId)) return;

            _samples++;
            var key = new SiteKey(_stacks.Intern(record.Stack), TypeIndex(typeName));
            ref var site = ref CollectionsMarshal.GetValueRefOrAddDefault(_sites, key, out _);
            var objects = AllocationWeight.Objects(size);
            site.Objects += objects;
            site.Bytes += objects * size;
            site.Samples++;
        }
    }

    private int TypeIndex(ReadOnlySpan<char> typeName)
    {
        if (_typeLookup.TryGetValue(typeName, out var index)) return index;

        var name = typeName.ToString();
        index = _types.Count;
        _types.Add(name);
        _typeIndex.Add(name, index);
        return index;
    }

    private readonly record struct SiteKey(int Stack, int Type);

    private struct Accumulator
    {
        public double Objects;
        public double Bytes;
        public long Samples;
    }
}
