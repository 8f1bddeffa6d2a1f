using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// Flat and cumulative values per function, and the calls between functions, for one sample type:
/// what pprof's graph holds at its default granularity (functions). Flat is a sample's value at its
/// leaf function; cum counts a sample once for every function anywhere on its stack.
/// </summary>
public sealed class CallGraph
{
    /// <summary>The label pprof puts on a diff base's samples; the total of a diff is the base's.</summary>
    public const string DiffBaseLabel = "pprof::base";

    private CallGraph(IReadOnlyList<CallGraphNode> nodes, long total)
    {
        Nodes = nodes;
        Total = total;
    }

    /// <summary>The functions with a nonzero flat or cum value, in no particular order.</summary>
    public IReadOnlyList<CallGraphNode> Nodes { get; }

    /// <summary>The report's total: <see cref="TotalOf"/> the profile unless the caller gave one.</summary>
    public long Total { get; }

    /// <summary>Builds the graph of <paramref name="profile"/> over the values at <paramref name="valueIndex"/>.</summary>
    /// <param name="profile">The samples.</param>
    /// <param name="valueIndex">Which of each sample's values.</param>
    /// <param name="total">
    /// The total percentages are of; by default <see cref="TotalOf"/> this profile. pprof takes it
    /// before -focus and the other filters, so a focused report's shares are of the whole profile.
    /// </param>
    /// <param name="withCalls">
    /// Also record the calls between functions (for peek and graphs). A top table needs none, and on
    /// a profile of many distinct stacks the calls are most of the graph's memory.
    /// </param>
    public static CallGraph Build(Profile profile, int valueIndex, long? total = null, bool withCalls = true)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        // Each location's frames become nodes once, so the walk over the samples looks up no names.
        var frames = new ProfileFrames(profile);
        var nodes = new Dictionary<string, CallGraphNode>(StringComparer.Ordinal);
        var locationNodes = new Dictionary<ulong, (CallGraphNode Node, bool Inline)[]>();
        foreach (var location in profile.Location)
        {
            locationNodes[location.Id] = frames[location.Id].Select(frame =>
            {
                if (!nodes.TryGetValue(frame.Name, out var node)) nodes.Add(frame.Name, node = new CallGraphNode(frame.Name));
                node.InlinedSomewhere |= frame.Inline;
                return (node, frame.Inline);
            }).ToArray();
        }

        var seenEdges = new HashSet<(CallGraphNode, CallGraphNode)>();
        var sampleNumber = 0;
        foreach (var sample in profile.Sample)
        {
            var value = sample.Value[valueIndex];
            if (value == 0) continue;

            sampleNumber++;
            seenEdges.Clear();
            CallGraphNode? caller = null;
            for (var i = sample.LocationId.Count - 1; i >= 0; i--)
            {
                if (!locationNodes.TryGetValue(sample.LocationId[i], out var lineNodes)) continue;
                for (var j = lineNodes.Length - 1; j >= 0; j--)
                {
                    var (node, inline) = lineNodes[j];

                    // Counted once per sample however often the function recurses.
                    if (node.LastSample != sampleNumber)
                    {
                        node.LastSample = sampleNumber;
                        node.Cum += value;
                    }

                    // Without calls, still those into functions that are inlined somewhere: their inline mark needs them.
                    if ((withCalls || node.InlinedSomewhere) && caller is not null && caller != node && seenEdges.Add((caller, node)))
                    {
                        caller.AddCall(node, value, inline);
                    }

                    caller = node;
                }
            }

            if (caller is not null) caller.Flat += value;
        }

        return new CallGraph(nodes.Values.Where(n => n.Flat != 0 || n.Cum != 0).ToList(), total ?? TotalOf(profile, valueIndex));
    }

    /// <summary>
    /// The total as pprof computes it: the sum of the absolute sample values, or, when the profile has
    /// diff-base samples, of those only (so a diff shows change against the base).
    /// </summary>
    public static long TotalOf(Profile profile, int valueIndex)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        long total = 0, baseTotal = 0;
        var baseKey = profile.StringTable.IndexOf(DiffBaseLabel);
        foreach (var sample in profile.Sample)
        {
            var value = Math.Abs(sample.Value[valueIndex]);
            total += value;
            if (baseKey > 0 && sample.Label.Any(l => l.Key == baseKey && ProfileFrames.StringAt(profile, l.Str) == "true")) baseTotal += value;
        }

        return baseTotal > 0 ? baseTotal : total;
    }
}

/// <summary>One function of a <see cref="CallGraph"/>.</summary>
public sealed class CallGraphNode
{
    private readonly Dictionary<CallGraphNode, CallGraphEdge> _callers = new();
    private readonly Dictionary<CallGraphNode, CallGraphEdge> _callees = new();

    internal CallGraphNode(string name) => Name = name;

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The value of the samples whose leaf is this function.</summary>
    public long Flat { get; internal set; }

    /// <summary>True when some location has this function inlined into another.</summary>
    internal bool InlinedSomewhere { get; set; }

    /// <summary>The number of the sample that last added to <see cref="Cum"/>, so each sample adds once.</summary>
    internal int LastSample { get; set; }

    /// <summary>The value of the samples with this function anywhere on the stack, each counted once.</summary>
    public long Cum { get; internal set; }

    /// <summary>The calls into this function, heaviest first (pprof's edge order: weight, then caller, then callee name); complete only in a graph built with calls.</summary>
    public IReadOnlyList<CallGraphEdge> Callers => Sorted(_callers.Values);

    /// <summary>The calls out of this function, heaviest first.</summary>
    public IReadOnlyList<CallGraphEdge> Callees => Sorted(_callees.Values);

    /// <summary>pprof's mark for the top table: "(inline)" when every call into it was inlined, "(partial-inline)" when some were, else "".</summary>
    public string InlineLabel
    {
        get
        {
            var inline = _callers.Values.Any(e => e.Inline);
            var notInline = _callers.Values.Any(e => !e.Inline);
            return !inline ? "" : notInline ? "(partial-inline)" : "(inline)";
        }
    }

    internal void AddCall(CallGraphNode callee, long value, bool inline)
    {
        if (!_callees.TryGetValue(callee, out var edge))
        {
            edge = new CallGraphEdge(this, callee) { Inline = inline };
            _callees.Add(callee, edge);
            callee._callers.Add(this, edge);
        }

        // pprof keeps an edge inline only while every sample's call was inlined.
        edge.Weight += value;
        edge.Inline &= inline;
    }

    private static List<CallGraphEdge> Sorted(IEnumerable<CallGraphEdge> edges) => edges
        .OrderByDescending(e => Math.Abs(e.Weight))
        .ThenBy(e => e.Caller.Name, StringComparer.Ordinal)
        .ThenBy(e => e.Callee.Name, StringComparer.Ordinal)
        .ToList();

    /// <inheritdoc />
    public override string ToString() => $"{Name} flat={Flat} cum={Cum}";
}

/// <summary>Calls from one function to another: the value of the samples with that call on their stack.</summary>
public sealed class CallGraphEdge
{
    internal CallGraphEdge(CallGraphNode caller, CallGraphNode callee)
    {
        Caller = caller;
        Callee = callee;
    }

    /// <summary>The calling function.</summary>
    public CallGraphNode Caller { get; }

    /// <summary>The called function.</summary>
    public CallGraphNode Callee { get; }

    /// <summary>The value of the samples with this call, each counted once.</summary>
    public long Weight { get; internal set; }

    /// <summary>True when the call was inlined in every sample.</summary>
    public bool Inline { get; internal set; }
}
