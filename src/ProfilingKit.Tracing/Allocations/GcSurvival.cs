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
    private bool _sorted;

    public GcSurvival(long number, int depth, bool background, long start)
    {
        Number = number;
        Depth = depth;
        Background = background;
        Start = start;
    }

    /// <summary>GCStart's Count: the GC's number, which its GCEnd repeats.</summary>
    public long Number { get; }

    /// <summary>The condemned generation (GCStart's Depth).</summary>
    public int Depth { get; }

    /// <summary>A background GC: it collects gen2, the LOH and the POH, while foreground GCs collect the others.</summary>
    public bool Background { get; }

    /// <summary>GCStart's timestamp.</summary>
    public long Start { get; }

    /// <summary>
    /// A region of <paramref name="generation"/>. The runtime lists the regions at the GC's start, before
    /// the ranges of what it kept, and again at its end, after them; only the first list is kept. (With
    /// Server GC each heap lists its own regions, so there is no one order of generations to go by.)
    /// </summary>
    public void AddRegion(int generation, ulong start, ulong used)
    {
        if (!ListsRanges) _regions.Add((start, start + used, generation));
    }

    /// <summary>Whether the ranges of what the GC kept have begun: regions listed from then on are its end's.</summary>
    public bool ListsRanges { get; private set; }

    /// <summary>A batch of surviving or moved object ranges.</summary>
    public void AddRanges(ReadOnlySpan<byte> payload, int pointerSize, bool moved)
    {
        ListsRanges = true;
        _sorted = false;
        ClrEventPayloads.ReadObjectRanges(payload, pointerSize, moved, _kept);
    }

    /// <summary>
    /// Where the object at <paramref name="address"/> is after this GC, or null if the GC collected it;
    /// with <paramref name="condemn"/> false (what the GC said is incomplete), moves only.
    /// </summary>
    public ulong? Follow(ulong address, bool condemn = true)
    {
        if (!_sorted)
        {
            _kept.Sort((a, b) => a.Old.CompareTo(b.Old));
            _regions.Sort((a, b) => a.Start.CompareTo(b.Start));
            _sorted = true;
        }

        var kept = Find(_kept, address, range => range.Old, range => range.Old + range.Length);
        if (kept >= 0) return address - _kept[kept].Old + _kept[kept].New;

        if (!condemn) return address;

        var region = Find(_regions, address, r => r.Start, r => r.End);
        if (region < 0) return null; // in no region of the heap at the GC's start: what was there has gone (its region freed)
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
