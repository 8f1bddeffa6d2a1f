namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// The rows of pprof's top report: functions whose cum reaches the node fraction of the total
/// (pprof's default 0.005), sorted by flat (or cum), at most a node count of them.
/// </summary>
public sealed class TopTable
{
    /// <summary>pprof's default node fraction: functions with cum below 0.5% of the total are dropped.</summary>
    public const double DefaultNodeFraction = 0.005;

    private TopTable(IReadOnlyList<CallGraphNode> rows, int droppedNodes, long dropCutoff, int nodesBeforeCount, long total)
    {
        Rows = rows;
        DroppedNodes = droppedNodes;
        DropCutoff = dropCutoff;
        NodesBeforeCount = nodesBeforeCount;
        Total = total;
    }

    /// <summary>The rows shown, in order.</summary>
    public IReadOnlyList<CallGraphNode> Rows { get; }

    /// <summary>How many functions fell below the node fraction ("Dropped N nodes (cum &lt;= X)").</summary>
    public int DroppedNodes { get; }

    /// <summary>The cum a function needed to be kept: the node fraction of the total, truncated.</summary>
    public long DropCutoff { get; }

    /// <summary>How many functions were left before the node count ("Showing top N nodes out of M").</summary>
    public int NodesBeforeCount { get; }

    /// <summary>The report's total.</summary>
    public long Total { get; }

    /// <summary>The flat values of the rows shown, summed ("Showing nodes accounting for X").</summary>
    public long ShownFlat => Rows.Sum(r => r.Flat);

    /// <summary>Selects the top rows of <paramref name="graph"/>.</summary>
    /// <param name="graph">The functions and the total.</param>
    /// <param name="byCum">Sort by cum (<c>-cum</c>) instead of flat.</param>
    /// <param name="nodeCount">At most this many rows (<c>-n</c>); 0 or null for all.</param>
    /// <param name="nodeFraction">Drop functions whose cum is below this share of the total.</param>
    public static TopTable Select(CallGraph graph, bool byCum, int? nodeCount, double nodeFraction = DefaultNodeFraction)
    {
        if (graph is null) throw new ArgumentNullException(nameof(graph));

        var cutoff = Math.Abs((long)(graph.Total * nodeFraction));
        var kept = graph.Nodes.Where(n => Math.Abs(n.Cum) >= cutoff).ToList();
        var dropped = graph.Nodes.Count - kept.Count;
        var sorted = Sort(kept, byCum);
        var shown = nodeCount is > 0 && nodeCount < sorted.Count ? sorted.Take(nodeCount.Value).ToList() : sorted;
        return new TopTable(shown, dropped, cutoff, sorted.Count, graph.Total);
    }

    /// <summary>pprof's node orders: by |flat| (or |cum|), then name, then the other value.</summary>
    public static List<CallGraphNode> Sort(IEnumerable<CallGraphNode> nodes, bool byCum) => byCum
        ? nodes.OrderByDescending(n => Math.Abs(n.Cum)).ThenBy(n => n.Name, StringComparer.Ordinal).ThenByDescending(n => Math.Abs(n.Flat)).ToList()
        : nodes.OrderByDescending(n => Math.Abs(n.Flat)).ThenBy(n => n.Name, StringComparer.Ordinal).ThenByDescending(n => Math.Abs(n.Cum)).ToList();
}
