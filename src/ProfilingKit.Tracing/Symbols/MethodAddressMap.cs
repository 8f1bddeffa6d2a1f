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

        var fullName = FullName(typeName, methodName);
        var range = new MethodCode(start, start + size, fullName, identity);
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

    private string FullName(ReadOnlySpan<char> typeName, ReadOnlySpan<char> methodName)
    {
        // Interned: tiering and rundown report the same method many times.
        var name = typeName.IsEmpty ? methodName.ToString() : string.Concat(typeName, ".", methodName);
        lock (_gate)
        {
            if (_names.TryGetValue(name, out var existing)) return existing;
            _names.Add(name, name);
            return name;
        }
    }
}
