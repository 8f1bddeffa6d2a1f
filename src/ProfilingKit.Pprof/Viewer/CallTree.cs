namespace ProfilingKit.Pprof.Viewer;

/// <summary>
/// Merged call paths as flat arrays, nodes numbered from the root (0): a large profile has millions
/// of nodes, mostly chains with one child, and an object with its own child dictionary per node
/// cost 8 s and hundreds of MB for a 5 MB profile. One dictionary keyed by (parent, function) and
/// sibling links keep it to a few arrays.
/// </summary>
internal sealed class CallTree
{
    public const int Root = 0;
    private const int None = -1;

    private readonly int _typeCount;
    private readonly Dictionary<long, int> _childByKey = new();
    private readonly List<int> _function = [];
    private readonly List<long> _line = [];
    private readonly List<int> _firstChild = [];
    private readonly List<int> _nextSibling = [];
    private long[] _values;

    public CallTree(int typeCount)
    {
        _typeCount = typeCount;
        _values = new long[Math.Max(1, typeCount) * 1024];
        NewNode(None, 0);
    }

    public int Function(int node) => _function[node];

    public long Line(int node) => _line[node];

    public long Value(int node, int type) => _values[node * _typeCount + type];

    /// <summary>The child of <paramref name="parent"/> for <paramref name="function"/>, made with <paramref name="line"/> when new.</summary>
    public int Child(int parent, int function, long line)
    {
        var key = ((long)parent << 32) | (uint)function;
        if (_childByKey.TryGetValue(key, out var child)) return child;

        child = NewNode(function, line);
        _nextSibling[child] = _firstChild[parent];
        _firstChild[parent] = child;
        _childByKey.Add(key, child);
        return child;
    }

    public void Add(int node, long[] values)
    {
        var start = node * _typeCount;
        for (var i = 0; i < _typeCount; i++) _values[start + i] += values[i];
    }

    /// <summary>The children of <paramref name="node"/>, in no particular order.</summary>
    public List<int> Children(int node)
    {
        var children = new List<int>();
        for (var child = _firstChild[node]; child != None; child = _nextSibling[child]) children.Add(child);
        return children;
    }

    private int NewNode(int function, long line)
    {
        var node = _function.Count;
        _function.Add(function);
        _line.Add(line);
        _firstChild.Add(None);
        _nextSibling.Add(None);
        if ((node + 1) * _typeCount > _values.Length) Array.Resize(ref _values, _values.Length * 2);
        return node;
    }
}
