using System.Globalization;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Reports;

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
    private readonly CallTree _tree;
    private readonly long[] _totals;
    // Per sample type, per function: arrays, as every sample adds to each function of its path.
    private readonly long[][] _flat;
    private readonly long[][] _cum;
    private int[] _lastSample = [];

    private FlameGraphData(Profile profile)
    {
        _profile = profile;
        _typeCount = profile.SampleType.Count;
        _tree = new CallTree(_typeCount);
        _totals = new long[_typeCount];
        _flat = new long[_typeCount][];
        _cum = new long[_typeCount][];
        for (var type = 0; type < _typeCount; type++)
        {
            _flat[type] = [];
            _cum[type] = [];
        }
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
            for (var function = 0; function < _functions.Count; function++)
            {
                var flat = function < _flat[type].Length ? _flat[type][function] : 0;
                var cum = function < _cum[type].Length ? _cum[type][function] : 0;
                if (flat == 0 && cum == 0) continue;
                if (!first) json.Write(',');
                first = false;
                json.Write(string.Format(CultureInfo.InvariantCulture, "[{0},{1},{2}]", function, flat, cum));
            }

            json.Write(']');
        }

        var thresholds = _totals.Select(total => (long)Math.Ceiling(Math.Abs(total) * options.PruneFraction)).ToArray();
        var pruned = 0;
        json.Write("],\"tree\":");
        WriteNode(json, CallTree.Root, thresholds, ref pruned);
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

    /// <summary>The type shown first, by the reports' rules (<see cref="SampleIndex"/>): the one asked for, else the default, else the last.</summary>
    private int SelectedType(string? requested) => _typeCount == 0 ? 0 : SampleIndex.Resolve(_profile, requested);

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
        var sampleNumber = 0;
        var values = new long[_typeCount];
        foreach (var sample in _profile.Sample)
        {
            path.Clear();
            for (var i = sample.LocationId.Count - 1; i >= 0; i--)
            {
                path.AddRange(locations.TryGetValue(sample.LocationId[i], out var lines) ? lines : [(FunctionOf("?", ""), 0L)]);
            }

            Array.Clear(values, 0, values.Length);
            if (_functions.Count > _lastSample.Length) GrowTables(_functions.Count);
            for (var type = 0; type < _typeCount && type < sample.Value.Count; type++) values[type] = sample.Value[type];

            var node = CallTree.Root;
            _tree.Add(node, values);
            foreach (var (function, line) in path)
            {
                node = _tree.Child(node, function, line);
                _tree.Add(node, values);
            }

            for (var type = 0; type < _typeCount; type++)
            {
                _totals[type] += values[type];
                if (path.Count > 0) _flat[type][path[path.Count - 1].Function] += values[type];
            }

            sampleNumber++;
            foreach (var (function, _) in path)
            {
                if (_lastSample[function] == sampleNumber) continue; // recursion counts once in cum, as in pprof
                _lastSample[function] = sampleNumber;
                for (var type = 0; type < _typeCount; type++) _cum[type][function] += values[type];
            }
        }
    }

    private void WriteNode(TextWriter json, int node, long[] thresholds, ref int pruned)
    {
        // [function, line, value per type..., [children]]
        json.Write('[');
        json.Write(_tree.Function(node).ToString(CultureInfo.InvariantCulture));
        json.Write(',');
        json.Write(_tree.Line(node).ToString(CultureInfo.InvariantCulture));
        for (var type = 0; type < _typeCount; type++)
        {
            json.Write(',');
            json.Write(_tree.Value(node, type).ToString(CultureInfo.InvariantCulture));
        }

        json.Write(",[");
        var first = true;
        foreach (var child in _tree.Children(node).OrderByDescending(Weight))
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

        json.Write("]]");
    }

    private long Weight(int node)
    {
        var weight = 0L;
        for (var type = 0; type < _typeCount; type++) weight = Math.Max(weight, Math.Abs(_tree.Value(node, type)));
        return weight;
    }

    private bool Keeps(int node, long[] thresholds)
    {
        for (var type = 0; type < _typeCount; type++)
        {
            var value = _tree.Value(node, type);
            if (value != 0 && Math.Abs(value) >= thresholds[type]) return true;
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

    private void GrowTables(int functions)
    {
        var size = Math.Max(functions, _lastSample.Length * 2);
        Array.Resize(ref _lastSample, size);
        for (var type = 0; type < _typeCount; type++)
        {
            Array.Resize(ref _flat[type], size);
            Array.Resize(ref _cum[type], size);
        }
    }
}
