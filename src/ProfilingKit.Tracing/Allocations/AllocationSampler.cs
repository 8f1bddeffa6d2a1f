using ProfilingKit.EventPipe;
using ProfilingKit.Labels;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>
/// Aggregates the runtime's AllocationSampled events by stack, type and label set (<see cref="LabelActivityIds"/>), and feeds method load
/// events to the address map (and method, IL-map and module events to the line map), as they
/// arrive on the session's reader thread. The stacks and sites stay within a memory budget
/// (<see cref="BoundedSites{TValue}"/>), however long the process runs, and so does the freed code
/// the map keeps for them (<see cref="MethodAddressMap.ForgetUnheldCode"/>).
/// </summary>
internal sealed class AllocationSampler : INetTraceHandler, ICodeFrameHolder
{
    /// <summary>The default budget of the stacks and sites: a few megabytes, tens of thousands of distinct stacks.</summary>
    public const long DefaultBudgetBytes = 8L << 20;

    /// <summary>The type of the samples of types first seen once the type table has used its share of the budget.</summary>
    public const string OtherTypes = "[other types]";

    private readonly object _gate = new();
    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap? _lines;
    private readonly Func<long, bool> _isProfilerThread;
    private readonly LabelSets? _labels;
    private readonly LiveObjectTracker? _live;
    private readonly BoundedSites<Accumulator> _sites;
    private readonly Dictionary<string, int> _typeIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _typeLookup;
    private readonly List<string> _types = new();
    private readonly long _typeBudgetBytes;
    private readonly DateTimeOffset _since = DateTimeOffset.UtcNow;
    private long _typeBytes;
    private long _otherTypeSamples;
    private long _samples;
    private long _lostEvents;
    private ulong[] _frames = new ulong[64]; // the current sample's stack as code frames

    /// <summary>The share of the budget that type names may use: a quarter, thousands of generic instantiations.</summary>
    public static long TypeBudgetBytes(long budgetBytes) => budgetBytes / 4;

    /// <param name="labels">What the label sets on the samples stand for, which someone else feeds; null: samples carry no labels.</param>
    /// <param name="live">Follows the sampled objects through GCs, which someone else feeds with the GC events; null: no live heap by stack.</param>
    public AllocationSampler(MethodAddressMap methods, Func<long, bool> isProfilerThread, SourceLineMap? lines = null, long budgetBytes = DefaultBudgetBytes, LabelSets? labels = null, LiveObjectTracker? live = null)
    {
        _methods = methods;
        _labels = labels;
        _live = live;
        _lines = lines;
        _isProfilerThread = isProfilerThread;
        _sites = new BoundedSites<Accumulator>(budgetBytes);
        _typeBudgetBytes = TypeBudgetBytes(budgetBytes);
        _typeLookup = _typeIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        methods.Hold(this);
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (ClrEvents.IsAllocationSampled(record.Metadata))
        {
            AddSample(record);
        }
        else
        {
            if (_methods.TryAdd(record) && _methods.HasFreedCodeToForget)
            {
                var forgotten = _methods.ForgetUnheldCode(); // here, between samples: every kept stack is in a holder
                _lines?.Forget(forgotten);
            }

            _lines?.TryAdd(record);
        }
    }

    /// <summary>The samples before <paramref name="timestamp"/> have all arrived: the live objects' GCs may be applied up to it.</summary>
    public void OnFlushed(long timestamp) => _live?.SamplesFlushed(timestamp);

    /// <summary>The runtime dropped events of this session: the samples among them are missing, and the profile's comment says how many were dropped.</summary>
    public void OnLost(long count, long from, long to)
    {
        lock (_gate) _lostEvents += count;
    }

    public void AddCodeIds(ISet<int> ids)
    {
        lock (_gate) _sites.AddCodeIds(ids);
        _live?.AddCodeIds(ids);
    }

    /// <summary>Whether the sampled objects are followed through GCs, so snapshots carry the live heap by stack (<see cref="AllocationSnapshot.Live"/>).</summary>
    public bool FollowsLiveObjects => _live is not null;

    /// <summary>The number of distinct stacks sampled so far.</summary>
    public int StackCount
    {
        get
        {
            lock (_gate) return _sites.StackCount;
        }
    }

    public AllocationSnapshot Snapshot()
    {
        lock (_gate)
        {
            var sites = new List<AllocationSite>(_sites.Count);
            foreach (var (stack, type, labels, value) in _sites.Sites())
            {
                sites.Add(new AllocationSite(stack, _types[type], value.Objects, value.Bytes, value.Samples) { Labels = _labels?.Of(labels) ?? [] });
            }

            return new AllocationSnapshot(sites, _samples, _since)
            {
                Bounds = _sites.Bounds with { OtherTypeSamples = _otherTypeSamples, FreedCodeForgotten = _methods.ForgottenCount, FreedCodeKept = _methods.FreedCount, LostEvents = _lostEvents },
                Live = _live is null ? null : LiveHeap(_live.Snapshot(System.Diagnostics.Stopwatch.GetTimestamp())),
            };
        }
    }

    private void AddSample(in TraceEventRecord record)
    {
        if (!ClrEventPayloads.TryReadAllocationSampled(record.Payload, record.PointerSize, out var typeName, out var size, out var address)) return;

        lock (_gate)
        {
            if (_isProfilerThread(record.ThreadId)) return;

            _samples++;
            var objects = AllocationWeight.Objects(size);
            var labels = _labels is null ? 0 : LabelActivityIds.LabelSetOf(record.ActivityId);
            var frames = _methods.ToCodeFrames(record.Stack, ref _frames);
            var type = TypeIndex(typeName);
            _sites.Add(frames, type, labels, new Accumulator(objects, objects * size, Samples: 1));
            _live?.Add(address, record.Timestamp, frames.Slice(0, Math.Min(frames.Length, StackTable.MaxDepth)).ToArray(), type, labels, objects, objects * size);
        }
    }

    /// <summary>The live objects by stack, type and label set (under the gate: type names and labels are read).</summary>
    private LiveHeap LiveHeap(LiveObjects live)
    {
        var sites = new Dictionary<(ulong[] Stack, int Type, int Labels), Accumulator>(new SiteComparer());
        foreach (var tracked in live.Objects)
        {
            var key = (tracked.Stack, tracked.Type, tracked.Labels);
            var value = new Accumulator(tracked.Objects, tracked.Bytes, Samples: 1);
            sites[key] = sites.TryGetValue(key, out var sum) ? sum.Plus(value) : value;
        }

        var list = sites.Select(site => new AllocationSite(site.Key.Stack, _types[site.Key.Type], site.Value.Objects, site.Value.Bytes, site.Value.Samples) { Labels = _labels?.Of(site.Key.Labels) ?? [] }).ToList();
        return new LiveHeap(list, live.Counts);
    }

    private sealed class SiteComparer : IEqualityComparer<(ulong[] Stack, int Type, int Labels)>
    {
        public bool Equals((ulong[] Stack, int Type, int Labels) x, (ulong[] Stack, int Type, int Labels) y) =>
            x.Type == y.Type && x.Labels == y.Labels && x.Stack.AsSpan().SequenceEqual(y.Stack);

        public int GetHashCode((ulong[] Stack, int Type, int Labels) site)
        {
            var hash = new HashCode();
            hash.Add(site.Type);
            hash.Add(site.Labels);
            foreach (var frame in site.Stack) hash.Add(frame);
            return hash.ToHashCode();
        }
    }

    private int TypeIndex(ReadOnlySpan<char> typeName)
    {
        if (_typeLookup.TryGetValue(typeName, out var index)) return index;

        // A name costs its string (header, length, UTF-16) and its entries in the index and the list.
        var cost = 24 + (2L * typeName.Length) + 32;
        if (_typeBytes + cost > _typeBudgetBytes)
        {
            _otherTypeSamples++;
            return Add(OtherTypes);
        }

        _typeBytes += cost;
        return Add(typeName.ToString());

        int Add(string name)
        {
            if (_typeIndex.TryGetValue(name, out var existing)) return existing;
            _types.Add(name);
            _typeIndex.Add(name, _types.Count - 1);
            return _types.Count - 1;
        }
    }

    private readonly record struct Accumulator(double Objects, double Bytes, long Samples) : ISiteValue<Accumulator>
    {
        public double Weight => Bytes;

        public Accumulator Plus(in Accumulator other) => new(Objects + other.Objects, Bytes + other.Bytes, Samples + other.Samples);
    }
}
