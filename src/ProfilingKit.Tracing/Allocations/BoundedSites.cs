using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProfilingKit.Allocations;

/// <summary>What a site accumulates: merged when sites are, weighed when memory must be freed.</summary>
internal interface ISiteValue<TValue>
    where TValue : struct
{
    /// <summary>How much this site matters to the profile: the rarest go first when memory runs out.</summary>
    double Weight { get; }

    /// <summary>This value with <paramref name="other"/>'s added.</summary>
    TValue Plus(in TValue other);
}

/// <summary>
/// The sites of an always-on profile (a stack, a small key such as the allocated type, the label set
/// the samples were taken in, and what they accumulate) in memory that is bounded by a budget, not by uptime. When the stacks and sites
/// outgrow <see cref="BudgetBytes"/>, the lightest stacks are merged into one <c>[other stacks]</c>
/// stack per key and label set, until the table is back at half its budget (so compactions are rare): totals stay exact, and the
/// stacks that carry most of the profile keep their own. Not thread-safe.
/// </summary>
internal sealed class BoundedSites<TValue>
    where TValue : struct, ISiteValue<TValue>
{
    /// <summary>What a site's entry costs besides its stack: hash, chain, key (stack, key, labels), value (8-byte aligned), bucket.</summary>
    private static readonly int BytesPerSite = ((8 + 12 + Unsafe.SizeOf<TValue>() + 7) & ~7) + 4;

    private StackTable _stacks = new();
    private Dictionary<(int Stack, int Key, int Labels), TValue> _sites = new();
    private long _truncatedBefore;
    private long _compactAbove;

    public BoundedSites(long budgetBytes)
    {
        BudgetBytes = budgetBytes;
        _compactAbove = budgetBytes;
        OtherStacks = _stacks.Intern([StackTable.OtherStacksFrame]);
    }

    /// <summary>The memory the stacks and sites may hold, estimated as <see cref="ApproximateBytes"/>.</summary>
    public long BudgetBytes { get; }

    /// <summary>The memory the stacks and sites hold now, from the capacities of their collections.</summary>
    public long ApproximateBytes => _stacks.ApproximateBytes + (long)_sites.Capacity * BytesPerSite;

    /// <summary>The number of (stack, key, label set) sites.</summary>
    public int Count => _sites.Count;

    /// <summary>The number of sites whose key is <paramref name="key"/>.</summary>
    public int CountOfKey(int key)
    {
        var count = 0;
        foreach (var (_, siteKey, _) in _sites.Keys)
        {
            if (siteKey == key) count++;
        }

        return count;
    }

    /// <summary>What bounding the table has done so far, for the profile's comment.</summary>
    public StackBounds Bounds => new(MergedStacks, TruncatedStacks, BudgetBytes);

    /// <summary>The number of distinct stacks, the <c>[other stacks]</c> one not counted.</summary>
    public int StackCount => _stacks.Count - 1;

    /// <summary>How many distinct stacks have been merged into <c>[other stacks]</c> so far.</summary>
    public long MergedStacks { get; private set; }

    /// <summary>How many of the stacks added were cut to their leaf end (<see cref="StackTable.MaxDepth"/>), repeats included.</summary>
    public long TruncatedStacks => _stacks.TruncatedCount + _truncatedBefore;

    /// <summary>
    /// Counts up each time the table is compacted, when every stack number handed out before may
    /// have changed: a number kept across calls (a wait that began on one event and ends on another)
    /// is valid only while this stays the same.
    /// </summary>
    public int Generation { get; private set; }

    /// <summary>The number of <paramref name="stack"/> in the table, adding it if new.</summary>
    public int InternStack(ReadOnlySpan<ulong> stack) => _stacks.Intern(stack);

    /// <summary>The number of the stack every merged stack has become.</summary>
    public int OtherStacks { get; private set; }

    /// <summary>
    /// Adds <paramref name="value"/> to the site of stack number <paramref name="stack"/>, <paramref name="key"/>
    /// and label set <paramref name="labels"/> (0: none); may compact the table after.
    /// </summary>
    public void Add(int stack, int key, int labels, in TValue value)
    {
        ref var site = ref CollectionsMarshal.GetValueRefOrAddDefault(_sites, (stack, key, labels), out _);
        site = site.Plus(value);
        if (ApproximateBytes > _compactAbove) Compact();
    }

    /// <summary>Adds <paramref name="value"/> to the site of <paramref name="stack"/>, <paramref name="key"/> and label set <paramref name="labels"/>.</summary>
    public void Add(ReadOnlySpan<ulong> stack, int key, int labels, in TValue value) => Add(_stacks.Intern(stack), key, labels, value);

    /// <summary>Adds the id of the code each kept stack's <see cref="Symbols.CodeFrames"/> name to <paramref name="ids"/>.</summary>
    public void AddCodeIds(ISet<int> ids) => _stacks.AddCodeIds(ids);

    /// <summary>Every site with its stack (leaf first; a stack shared by sites is one array).</summary>
    public List<(ulong[] Stack, int Key, int Labels, TValue Value)> Sites()
    {
        var stacks = new Dictionary<int, ulong[]>();
        var sites = new List<(ulong[] Stack, int Key, int Labels, TValue Value)>(_sites.Count);
        foreach (var ((stack, key, labels), value) in _sites)
        {
            if (!stacks.TryGetValue(stack, out var frames)) stacks[stack] = frames = _stacks[stack];
            sites.Add((frames, key, labels, value));
        }

        return sites;
    }

    /// <summary>Keeps the heaviest stacks within half the budget and merges the rest, per key and label set, into <c>[other stacks]</c>.</summary>
    private void Compact()
    {
        // Per stack: what its sites carry, and how many sites it has (the merged stack's are always kept).
        var stacks = new Dictionary<int, (double Weight, int Sites)>();
        foreach (var ((stack, _, _), value) in _sites)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(stacks, stack, out _);
            entry = (entry.Weight + value.Weight, entry.Sites + 1);
        }

        var target = BudgetBytes / 2;
        long keptSites = stacks.Remove(OtherStacks, out var merged) ? merged.Sites : 0;

        var kept = new StackTable();
        var otherStacks = kept.Intern([StackTable.OtherStacksFrame]);
        var renumbered = new Dictionary<int, int> { [OtherStacks] = otherStacks };
        foreach (var (stack, (_, siteCount)) in stacks.OrderByDescending(pair => pair.Value.Weight))
        {
            var frames = _stacks[stack];
            if (kept.ApproximateBytes + frames.Length * (long)StackTable.BytesPerNode + (keptSites + siteCount) * BytesPerSite > target) break;
            renumbered[stack] = kept.Intern(frames);
            keptSites += siteCount;
        }

        var sites = new Dictionary<(int Stack, int Key, int Labels), TValue>((int)keptSites + 16);
        foreach (var ((stack, key, labels), value) in _sites)
        {
            var to = renumbered.GetValueOrDefault(stack, otherStacks);
            ref var site = ref CollectionsMarshal.GetValueRefOrAddDefault(sites, (to, key, labels), out _);
            site = site.Plus(value);
        }

        MergedStacks += stacks.Count - (renumbered.Count - 1);
        _truncatedBefore += _stacks.TruncatedCount - kept.TruncatedCount; // the kept ones were counted again
        _stacks = kept;
        _sites = sites;
        OtherStacks = otherStacks;
        Generation++;

        // With more keys than the budget holds even on the one merged stack, compacting again at once would
        // free nothing: then wait until the table has grown by half again, so the cost per added site stays constant.
        _compactAbove = ApproximateBytes <= target ? BudgetBytes : ApproximateBytes * 3 / 2;
    }
}
