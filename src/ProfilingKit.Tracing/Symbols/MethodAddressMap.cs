using ProfilingKit.EventPipe;

namespace ProfilingKit.Symbols;

/// <summary>
/// Maps native code addresses to managed method names, from the runtime's method load and
/// rundown events. Thread-safe: the reader thread adds while request threads resolve.
/// </summary>
internal sealed class MethodAddressMap
{
    private readonly object _gate = new();
    private readonly List<MethodCode> _ranges = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    public int Count
    {
        get
        {
            lock (_gate) return _ranges.Count;
        }
    }

    /// <summary>Records that the method <paramref name="typeName"/>.<paramref name="methodName"/> occupies [start, start+size).</summary>
    public void Add(ulong start, uint size, ReadOnlySpan<char> typeName, ReadOnlySpan<char> methodName, MethodIdentity identity = default)
    {
        if (size == 0) return;

        var range = new MethodCode(start, start + size, Interned(typeName, ".", methodName), identity, Interned(typeName, "::", methodName));
        lock (_gate)
        {
            var index = FindIndex(start);
            if (index >= 0 && _ranges[index].Start == start)
            {
                _ranges[index] = range; // the same code reported twice (load, then rundown)
                return;
            }

            _ranges.Insert(index + 1, range);
        }
    }

    /// <summary>Adds the method a MethodLoadVerbose or rundown event describes; false for any other event.</summary>
    public bool TryAdd(in TraceEventRecord record)
    {
        if (!ClrEvents.IsMethodDefinition(record.Metadata)
            || !ClrEventPayloads.TryReadMethod(record.Payload, out var identity, out var start, out var size, out var type, out var method))
        {
            return false;
        }

        Add(start, size, type, method, identity);
        return true;
    }

    /// <summary>The name of the method whose code holds <paramref name="address"/>, or null.</summary>
    public string? Resolve(ulong address) => TryResolve(address, out var code) ? code.Name : null;

    /// <summary>The code that holds <paramref name="address"/>: its range, name and identity.</summary>
    public bool TryResolve(ulong address, out MethodCode code)
    {
        lock (_gate)
        {
            var index = FindIndex(address);
            code = index < 0 ? default : _ranges[index];
            return index >= 0 && address < code.End;
        }
    }

    /// <summary>The index of the last range starting at or before <paramref name="address"/>, or -1.</summary>
    private int FindIndex(ulong address)
    {
        int low = 0, high = _ranges.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            if (_ranges[mid].Start <= address)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }

    /// <summary><c>Type.Method</c> (the name pprof shows) or <c>Type::Method</c> (the runtime's own form, pprof's system name), interned: tiering and rundown report the same method many times.</summary>
    private string Interned(ReadOnlySpan<char> typeName, string separator, ReadOnlySpan<char> methodName)
    {
        var name = typeName.IsEmpty ? methodName.ToString() : string.Concat(typeName, separator, methodName);
        lock (_gate)
        {
            if (_names.TryGetValue(name, out var existing)) return existing;
            _names.Add(name, name);
            return name;
        }
    }
}
