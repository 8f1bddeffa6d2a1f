using ProfilingKit.EventPipe;

namespace ProfilingKit.Symbols;

/// <summary>
/// Maps native code addresses to managed method names, from the runtime's method load, unload and
/// rundown events. Every body of code it is told of gets an id (<see cref="MethodCode.Id"/>) that
/// outlives the code: <see cref="ToCodeFrames"/> turns a sampled stack's addresses into those ids as
/// the sample arrives, so a sample keeps the name of the code that ran, though the address is later
/// freed (<see cref="TryRemove"/>) and reused. Freed code is kept only while a stack that someone
/// keeps names it (<see cref="Hold"/>, <see cref="ForgetUnheldCode"/>), so a process that compiles
/// and frees code for weeks does not grow this table. Thread-safe: the reader thread adds while
/// request threads resolve.
/// </summary>
internal sealed class MethodAddressMap
{
    /// <summary>How many bodies of freed code may wait before the map looks for those no stack names any more.</summary>
    public const int DefaultFreedCodeLimit = 4096;

    private readonly object _gate = new();
    private readonly List<MethodCode> _ranges = new(); // the live code, by start address
    private readonly Dictionary<int, MethodCode> _codes = new(); // the live code and the freed code still named, by id
    private readonly List<int> _freed = new(); // ids of the freed code in _codes
    private readonly List<ICodeFrameHolder> _holders = new();
    private readonly int _freedCodeLimit;
    private Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private int _nextId;
    private int _forgetAbove;

    /// <param name="freedCodeLimit">How many bodies of freed code may be kept before those no held stack names are forgotten.</param>
    public MethodAddressMap(int freedCodeLimit = DefaultFreedCodeLimit)
    {
        _freedCodeLimit = freedCodeLimit;
        _forgetAbove = freedCodeLimit;
    }

    /// <summary>The number of live code ranges.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _ranges.Count;
        }
    }

    /// <summary>The number of code bodies kept: the live ones, and the freed ones still named by a held stack.</summary>
    public int CodeCount
    {
        get
        {
            lock (_gate) return _codes.Count;
        }
    }

    /// <summary>The number of freed code bodies kept.</summary>
    public int FreedCount
    {
        get
        {
            lock (_gate) return _freed.Count;
        }
    }

    /// <summary>How many freed code bodies were forgotten so far because no held stack named them.</summary>
    public long ForgottenCount { get; private set; }

    /// <summary>True when enough code was freed since the last look that <see cref="ForgetUnheldCode"/> is due.</summary>
    public bool HasFreedCodeToForget
    {
        get
        {
            lock (_gate) return _freed.Count > _forgetAbove;
        }
    }

    /// <summary>
    /// Registers <paramref name="holder"/>, which keeps stacks of <see cref="CodeFrames"/>: the code they
    /// name stays known after it is freed. Register every one that calls <see cref="ToCodeFrames"/>.
    /// </summary>
    public void Hold(ICodeFrameHolder holder)
    {
        lock (_gate) _holders.Add(holder);
    }

    /// <summary>
    /// Forgets the freed code that no stack of the holders names any more (stacks merged away, or
    /// never sampled), and returns it, so the tables that describe it can drop it too. Call it on the
    /// thread that feeds the holders their samples, between two events: then no stack is on its way
    /// into a holder that names code the holders do not report.
    /// </summary>
    public IReadOnlyList<MethodCode> ForgetUnheldCode()
    {
        ICodeFrameHolder[] holders;
        lock (_gate) holders = [.. _holders];

        var held = new HashSet<int>();
        foreach (var holder in holders) holder.AddCodeIds(held);

        lock (_gate)
        {
            var forgotten = new List<MethodCode>();
            _freed.RemoveAll(id =>
            {
                if (held.Contains(id)) return false;
                forgotten.Add(_codes[id]);
                _codes.Remove(id);
                return true;
            });
            ForgottenCount += forgotten.Count;

            // The interned names of forgotten code go with it; what is kept is interned again.
            var names = new Dictionary<string, string>(_names.Count - forgotten.Count, StringComparer.Ordinal);
            foreach (var code in _codes.Values)
            {
                names.TryAdd(code.Name, code.Name);
                if (code.SystemName is { } systemName) names.TryAdd(systemName, systemName);
            }

            _names = names;

            // Held code is looked at again only once as much has been freed again: the cost per freed body stays constant.
            _forgetAbove = Math.Max(_freedCodeLimit, 2 * _freed.Count);
            return forgotten;
        }
    }

    /// <summary>Records that the method <paramref name="typeName"/>.<paramref name="methodName"/> occupies [start, start+size).</summary>
    /// <param name="rundown">The event is a rundown's listing of code already there, which may repeat a load event; otherwise the code is new, even where its range and identity repeat freed code's (the runtime reuses a dynamic method's MethodDesc, and identical lambdas compile to the same size at the same address).</param>
    public void Add(ulong start, uint size, ReadOnlySpan<char> typeName, ReadOnlySpan<char> methodName, MethodIdentity identity = default, bool rundown = true)
    {
        if (size == 0) return;

        var range = new MethodCode(start, start + size, Interned(typeName, ".", methodName), identity, Interned(typeName, "::", methodName));
        lock (_gate)
        {
            var index = FindIndex(start);
            if (index >= 0 && _ranges[index].Start == start && _ranges[index].End == range.End && _ranges[index].Identity == identity && (rundown || _ranges[index].Name == range.Name))
            {
                var same = range with { Id = _ranges[index].Id }; // the same code reported twice (load, then rundown)
                _ranges[index] = same;
                _codes[same.Id] = same;
                return;
            }

            if (_nextId > CodeFrames.MaxId) return; // two billion bodies of code: keep naming by address
            range = range with { Id = _nextId++ };
            _codes.Add(range.Id, range);

            // New code where other code was: that code is gone, whether or not its unload was reported.
            var first = index >= 0 && _ranges[index].End > start ? index : index + 1;
            var last = first;
            while (last < _ranges.Count && _ranges[last].Start < range.End) last++;
            for (var i = first; i < last; i++) _freed.Add(_ranges[i].Id);
            _ranges.RemoveRange(first, last - first);
            _ranges.Insert(first, range);
        }
    }

    /// <summary>Adds the method a MethodLoadVerbose or rundown event describes, or removes the one a MethodUnloadVerbose does; false for any other event.</summary>
    public bool TryAdd(in TraceEventRecord record)
    {
        var unload = ClrEvents.IsMethodUnload(record.Metadata);
        if ((!unload && !ClrEvents.IsMethodDefinition(record.Metadata))
            || !ClrEventPayloads.TryReadMethod(record.Payload, out var identity, out var start, out var size, out var type, out var method))
        {
            return false;
        }

        if (unload) TryRemove(start, identity, Interned(type, ".", method));
        else Add(start, size, type, method, identity, rundown: record.Metadata.ProviderName == ClrEvents.RundownProvider);
        return true;
    }

    /// <summary>
    /// Forgets the live code of <paramref name="identity"/> at <paramref name="start"/> (named
    /// <paramref name="name"/>, when given): its range is free. Samples that encoded it keep its name.
    /// An unload that comes after newer code took the same range and MethodDesc (the finalizer's thread
    /// reports it, in its own run of events) names the old code, and leaves the new one alone.
    /// </summary>
    public bool TryRemove(ulong start, MethodIdentity identity, string? name = null)
    {
        lock (_gate)
        {
            var index = FindIndex(start);
            if (index < 0 || _ranges[index].Start != start || _ranges[index].Identity.MethodId != identity.MethodId) return false;
            if (name is not null && _ranges[index].Name != name) return false;
            _freed.Add(_ranges[index].Id);
            _ranges.RemoveAt(index);
            return true;
        }
    }

    /// <summary>The name of the method whose code holds <paramref name="address"/>, or null.</summary>
    public string? Resolve(ulong address) => TryResolve(address, out var code) ? code.Name : null;

    /// <summary>The live code that holds <paramref name="address"/>: its range, name and identity.</summary>
    public bool TryResolve(ulong address, out MethodCode code)
    {
        lock (_gate) return TryResolveLocked(address, out code);
    }

    /// <summary>The code of <paramref name="id"/>, live or freed; false once freed code is forgotten.</summary>
    public bool TryGetCode(int id, out MethodCode code)
    {
        lock (_gate) return _codes.TryGetValue(id, out code);
    }

    /// <summary>
    /// Replaces each return address of <paramref name="stack"/> that lies in live code (or just past
    /// its end, a call as the last instruction) with its <see cref="CodeFrames"/> frame. Addresses of
    /// code not reported yet stay as they are, named when a profile is read.
    /// </summary>
    private void EncodeFrames(Span<ulong> stack)
    {
        lock (_gate)
        {
            for (var i = 0; i < stack.Length; i++)
            {
                var address = stack[i];
                if (CodeFrames.TryDecode(address, out _, out _)) continue;
                if (TryResolveLocked(address, out var code) || TryResolveLocked(address - 1, out code))
                {
                    stack[i] = CodeFrames.Encode(code.Id, (uint)(address - code.Start));
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="stack"/> as <see cref="EncodeFrames"/> makes it, in <paramref name="buffer"/>
    /// (grown when too small), which the caller reuses from sample to sample.
    /// </summary>
    public ReadOnlySpan<ulong> ToCodeFrames(ReadOnlySpan<ulong> stack, ref ulong[] buffer)
    {
        if (buffer.Length < stack.Length) buffer = new ulong[Math.Max(stack.Length, buffer.Length * 2)];
        var frames = buffer.AsSpan(0, stack.Length);
        stack.CopyTo(frames);
        EncodeFrames(frames);
        return frames;
    }

    /// <summary>
    /// The code of a frame: a <see cref="CodeFrames"/> frame's code, or the live code at (or just
    /// before) a raw return address; with the return address the frame stands for.
    /// </summary>
    public bool TryResolveFrame(ulong frame, out MethodCode code, out ulong returnAddress)
    {
        if (CodeFrames.TryDecode(frame, out var id, out var offset))
        {
            var known = TryGetCode(id, out code);
            returnAddress = code.Start + offset;
            return known;
        }

        returnAddress = frame;
        return TryResolve(frame, out code) || TryResolve(frame - 1, out code);
    }

    private bool TryResolveLocked(ulong address, out MethodCode code)
    {
        var index = FindIndex(address);
        code = index < 0 ? default : _ranges[index];
        return index >= 0 && address < code.End;
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
