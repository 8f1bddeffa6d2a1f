using System.Globalization;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Viewer;

/// <summary>
/// What the flame graph page embeds, as compact JSON: one tree of merged call paths (root first,
/// one value per sample type at each node), a table of functions (name and file) they point into,
/// and each sample type's exact flat/cum per function for the top table. Paths merge by function,
/// as pprof's flame graph merges them; a node keeps the source line of the first sample through it.
/// </summary>
internal sealed class FlameGraphData
{
    private readonly Profile _profile;
    private readonly int _typeCount;
    private readonly List<(string Name, string File)> _functions = [];
    private readonly Dictionary<(string Name, string File), int> _functionIndex = new();
    private readonly Node _root;
    private readonly long[] _totals;
    private readonly Dictionary<int, long>[] _flat;
    private readonly Dictionary<int, long>[] _cum;

    private FlameGraphData(Profile profile)
    {
        _profile = profile;
        _typeCount = profile.SampleType.Count;
        _root = new Node(-1, 0, _typeCount);
        _totals = new long[_typeCount];
        _flat = NewTables();
        _cum = NewTables();
    }

    /// <summary>Merges the samples of <paramref name="profile"/>.</summary>
    public static FlameGraphData Of(Profile profile)
    {
        var data = new FlameGraphData(profile);
        data.Merge();
        return data;
    }

    /// <summary>Writes the JSON: every string through <see cref="WriteString"/>, so the text can sit inside a script element.</summary>
    public void WriteJson(TextWriter json, FlameGraphOptions options)
    {
        var selected = SelectedType(options.SampleType);
        var kept = new bool[_typeCount];
        json.Write("{\"title\":");
        WriteString(json, options.Title);
        json.Write(",\"download\":");
        if (options.DownloadLink is null) json.Write("null");
        else WriteString(json, options.DownloadLink);
        json.Write(",\"comments\":[");
        for (var i = 0; i < _profile.Comment.Count; i++)
        {
            if (i > 0) json.Write(',');
            WriteString(json, StringAt(_profile.Comment[i]));
        }

        json.Write("],\"types\":[");
        for (var i = 0; i < _typeCount; i++)
        {
            if (i > 0) json.Write(',');
            json.Write("{\"type\":");
            WriteString(json, StringAt(_profile.SampleType[i].Type));
            json.Write(",\"unit\":");
            WriteString(json, StringAt(_profile.SampleType[i].Unit));
            json.Write(",\"total\":");
            json.Write(_totals[i].ToString(CultureInfo.InvariantCulture));
            json.Write('}');
            kept[i] = _totals[i] != 0;
        }

        json.Write("],\"selected\":");
        json.Write(selected.ToString(CultureInfo.InvariantCulture));
        json.Write(",\"functions\":[");
        for (var i = 0; i < _functions.Count; i++)
        {
            if (i > 0) json.Write(',');
            json.Write('[');
            WriteString(json, _functions[i].Name);
            json.Write(',');
            WriteString(json, _functions[i].File);
            json.Write(']');
        }

        json.Write("],\"top\":[");
        for (var type = 0; type < _typeCount; type++)
        {
            if (type > 0) json.Write(',');
            json.Write('[');
            var first = true;
            foreach (var row in _cum[type].Where(pair => pair.Value != 0 || _flat[type].ContainsKey(pair.Key)))
            {
                if (!first) json.Write(',');
                first = false;
                _flat[type].TryGetValue(row.Key, out var flat);
                json.Write(string.Format(CultureInfo.InvariantCulture, "[{0},{1},{2}]", row.Key, flat, row.Value));
            }

            json.Write(']');
        }

        var thresholds = _totals.Select(total => (long)Math.Ceiling(Math.Abs(total) * options.PruneFraction)).ToArray();
        var pruned = 0;
        json.Write("],\"tree\":");
        WriteNode(json, _root, thresholds, ref pruned);
        json.Write(",\"pruned\":");
        json.Write(pruned.ToString(CultureInfo.InvariantCulture));
        json.Write(",\"pruneFraction\":");
        json.Write(options.PruneFraction.ToString("R", CultureInfo.InvariantCulture));
        json.Write('}');
    }

    /// <summary>
    /// A JSON string that is also safe inside an HTML script element and attribute: &lt; &gt; &amp; and
    /// quotes are \u escapes, so a name holding <c>&lt;/script&gt;</c> cannot end the element.
    /// </summary>
    public static void WriteString(TextWriter json, string text)
    {
        json.Write('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': json.Write("\\\""); break;
                case '\\': json.Write("\\\\"); break;
                case '\n': json.Write("\\n"); break;
                default:
                    // A valid surrogate pair passes through; a lone half would make the page's text invalid.
                    var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                    if (paired)
                    {
                        json.Write(c);
                        json.Write(text[++i]);
                    }
                    else if (c < 0x20 || c is '<' or '>' or '&' or '\'' or '\u2028' or '\u2029' || char.IsSurrogate(c))
                    {
                        json.Write("\\u");
                        json.Write(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Write(c);
                    }

                    break;
            }
        }

        json.Write('"');
    }

    private int SelectedType(string? requested)
    {
        var name = requested;
        if (name is null && _profile.DefaultSampleType != 0) name = StringAt(_profile.DefaultSampleType);
        if (name is null) return Math.Max(0, _typeCount - 1); // pprof shows the last sample type when none is the default

        for (var i = 0; i < _typeCount; i++)
        {
            if (StringAt(_profile.SampleType[i].Type) == name) return i;
        }

        throw new ArgumentException($"The profile has no sample type '{name}'; it has {string.Join(", ", _profile.SampleType.Select(type => StringAt(type.Type)))}.", nameof(requested));
    }

    private void Merge()
    {
        var functions = _profile.Function.ToDictionary(function => function.Id);
        var locations = new Dictionary<ulong, (int Function, long Line)[]>();
        foreach (var location in _profile.Location)
        {
            // Line[0] is the innermost inlined call; the flame graph wants callers first.
            var lines = location.Line.Count == 0
                ? [(FunctionOf($"0x{location.Address:x}", ""), 0L)]
                : location.Line.Reverse().Select(line => functions.TryGetValue(line.FunctionId, out var function)
                    ? (FunctionOf(StringAt(function.Name), StringAt(function.Filename)), line.Line_)
                    : (FunctionOf("?", ""), line.Line_)).ToArray();
            locations[location.Id] = lines;
        }

        var path = new List<(int Function, long Line)>();
        var seen = new HashSet<int>();
        foreach (var sample in _profile.Sample)
        {
            path.Clear();
            for (var i = sample.LocationId.Count - 1; i >= 0; i--)
            {
                path.AddRange(locations.TryGetValue(sample.LocationId[i], out var lines) ? lines : [(FunctionOf("?", ""), 0L)]);
            }

            var values = sample.Value;
            var node = _root;
            node.Add(values);
            foreach (var (function, line) in path)
            {
                node = node.Child(function, line, _typeCount);
                node.Add(values);
            }

            seen.Clear();
            for (var type = 0; type < _typeCount && type < values.Count; type++)
            {
                var value = values[type];
                _totals[type] += value;
                if (path.Count == 0) continue;
                Increase(_flat[type], path[path.Count - 1].Function, value);
            }

            foreach (var (function, _) in path)
            {
                if (!seen.Add(function)) continue; // recursion counts once in cum, as in pprof
                for (var type = 0; type < _typeCount && type < values.Count; type++) Increase(_cum[type], function, values[type]);
            }
        }
    }

    private void WriteNode(TextWriter json, Node node, long[] thresholds, ref int pruned)
    {
        // [function, line, value per type..., [children]]
        json.Write('[');
        json.Write(node.Function.ToString(CultureInfo.InvariantCulture));
        json.Write(',');
        json.Write(node.Line.ToString(CultureInfo.InvariantCulture));
        foreach (var value in node.Values)
        {
            json.Write(',');
            json.Write(value.ToString(CultureInfo.InvariantCulture));
        }

        json.Write(",[");
        var first = true;
        if (node.Children is not null)
        {
            foreach (var child in node.Children.Values.OrderByDescending(child => child.Values.Length == 0 ? 0 : Math.Abs(child.Values.Max())))
            {
                if (!Keeps(child, thresholds))
                {
                    pruned++;
                    continue;
                }

                if (!first) json.Write(',');
                first = false;
                WriteNode(json, child, thresholds, ref pruned);
            }
        }

        json.Write("]]");
    }

    private static bool Keeps(Node node, long[] thresholds)
    {
        for (var i = 0; i < node.Values.Length; i++)
        {
            if (node.Values[i] != 0 && Math.Abs(node.Values[i]) >= thresholds[i]) return true;
        }

        return false;
    }

    private int FunctionOf(string name, string file)
    {
        if (_functionIndex.TryGetValue((name, file), out var index)) return index;
        index = _functions.Count;
        _functions.Add((name, file));
        _functionIndex.Add((name, file), index);
        return index;
    }

    private string StringAt(long index) => index >= 0 && index < _profile.StringTable.Count ? _profile.StringTable[(int)index] : "";

    private Dictionary<int, long>[] NewTables() => Enumerable.Range(0, _typeCount).Select(_ => new Dictionary<int, long>()).ToArray();

    private static void Increase(Dictionary<int, long> table, int function, long value)
    {
        table.TryGetValue(function, out var sum);
        table[function] = sum + value;
    }

    /// <summary>One call path's node: a function at a depth, with the sum of the samples through it.</summary>
    private sealed class Node(int function, long line, int typeCount)
    {
        public int Function { get; } = function;

        public long Line { get; } = line;

        public long[] Values { get; } = new long[typeCount];

        public Dictionary<int, Node>? Children { get; private set; }

        public Node Child(int function, long line, int typeCount)
        {
            Children ??= new Dictionary<int, Node>();
            if (!Children.TryGetValue(function, out var child))
            {
                child = new Node(function, line, typeCount);
                Children.Add(function, child);
            }

            return child;
        }

        public void Add(IList<long> values)
        {
            for (var i = 0; i < Values.Length && i < values.Count; i++) Values[i] += values[i];
        }
    }
}
