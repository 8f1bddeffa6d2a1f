using ProfilingKit.EventPipe;

namespace ProfilingKit.Allocations;

/// <summary>
/// What one GC says of the objects it condemned (<see cref="LiveObjectTracker"/>): the regions of each
/// generation at its start and the address ranges of the objects it kept, moved or not.
/// </summary>
internal sealed class GcSurvival
{
    private const int LargeObjectHeap = 3; // GCGenerationRange's generations 3 and 4: the LOH and the POH, collected with gen2

    private readonly List<(ulong Start, ulong End, int Generation)> _regions = new();
    private readonly List<(ulong Old, ulong New, ulong Length)> _kept = new();
    private bool _startRegionsDone;
    private bool _sorted;

    public GcSurvival(long number, int depth, bool background, long start, long threadId)
    {
        Number = number;
        Depth = depth;
        Background = background;
        Start = start;
        ThreadId = threadId;
    }

    /// <summary>GCStart's Count: the GC's number, which its GCEnd repeats.</summary>
    public long Number { get; }

    /// <summary>The thread that started the GC, which lists its regions.</summary>
    public long ThreadId { get; }

    /// <summary>The condemned generation (GCStart's Depth).</summary>
    public int Depth { get; }

    /// <summary>A background GC: it collects gen2, the LOH and the POH, while foreground GCs collect the others.</summary>
    public bool Background { get; }

    /// <summary>GCStart's timestamp.</summary>
    public long Start { get; }

    /// <summary>
    /// A region of <paramref name="generation"/>. The runtime lists the regions at the GC's start and
    /// again at its end, each list from the highest generation down; only the first list is kept.
    /// </summary>
    public void AddRegion(int generation, ulong start, ulong used)
    {
        if (_startRegionsDone) return;
        if (_regions.Count > 0 && generation > _regions[^1].Generation)
        {
            _startRegionsDone = true;
            return;
        }

        _regions.Add((start, start + used, generation));
    }

    /// <summary>A batch of surviving or moved object ranges.</summary>
    public void AddRanges(ReadOnlySpan<byte> payload, int pointerSize, bool moved)
    {
        _startRegionsDone = true;
        _sorted = false;
        ClrEventPayloads.ReadObjectRanges(payload, pointerSize, moved, _kept);
    }

    /// <summary>Where the object at <paramref name="address"/> is after this GC, or null if the GC collected it.</summary>
    public ulong? Follow(ulong address)
    {
        if (!_sorted)
        {
            _kept.Sort((a, b) => a.Old.CompareTo(b.Old));
            _regions.Sort((a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }

        var kept = Find(_kept, address, range => range.Old, range => range.Old + range.Length);
        if (kept >= 0) return address - _kept[kept].Old + _kept[kept].New;

        var region = Find(_regions, address, r => r.Start, r => r.End);
        if (region < 0) return address; // in no region the GC listed: nothing says it died
        return Condemned(_regions[region].Generation) ? null : address;
    }

    private bool Condemned(int generation) =>
        Background
            ? generation >= 2
            : generation <= Depth || (Depth == 2 && generation >= LargeObjectHeap);

    /// <summary>The index of the range of <paramref name="ranges"/> (sorted by start) that holds <paramref name="address"/>, or -1.</summary>
    private static int Find<T>(List<T> ranges, ulong address, Func<T, ulong> start, Func<T, ulong> end)
    {
        int low = 0, high = ranges.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (start(ranges[middle]) <= address)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 && address < end(ranges[found]) ? found : -1;
    }
}
