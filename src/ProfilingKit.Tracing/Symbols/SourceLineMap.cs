using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Symbols;

/// <summary>
/// Gives code addresses their source file and line: the runtime's IL-to-native maps (keyword
/// JittedMethodILToNativeMap, and the rundown's) take a native offset to an IL offset, and the
/// module's portable PDB takes that to a line. Where the runtime reports rich debug info
/// (DOTNET_RichDebugInfo=1), it also names the calls the JIT inlined at an address, with their own
/// lines. Thread-safe: events arrive on a reader thread while profiles are built on others.
/// </summary>
internal sealed class SourceLineMap : IDisposable
{
    /// <summary>
    /// The inline-tree mapping entries kept at most, about 5 MB with their trees: within the
    /// endpoint's memory budget even for an app with tens of thousands of optimized methods.
    /// Only optimized code has trees, and it is kept in the order the JIT reports it.
    /// </summary>
    private const int MaxInliningEntries = 400_000;

    private readonly object _gate = new();
    private readonly Dictionary<ulong, ModuleFile> _modules = new();
    private readonly Dictionary<ulong, ulong> _latestCodeOfMethod = new();
    // Code is keyed by its start and its method: new code at a freed start (a dynamic method, a
    // collectible assembly's) is other code, with a map of its own.
    private readonly Dictionary<(ulong Start, ulong MethodId), NativeToILMap> _mapsByCode = new();
    private readonly Dictionary<ulong, NativeToILMap> _mapsAwaitingCode = new();
    private readonly Dictionary<string, PortablePdbLines?> _pdbs = new(StringComparer.Ordinal);
    private readonly Dictionary<(ulong Start, ulong MethodId), RichDebugInfo> _inliningByCode = new();
    private readonly Dictionary<ulong, RichDebugInfo> _inliningAwaitingCode = new();
    private readonly Dictionary<ulong, RichDebugInfoChunks> _partialInlining = new();
    private readonly Dictionary<ulong, InlineeMethod> _inlinees = new();
    private readonly Dictionary<string, AssemblyMethodNames?> _assemblies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stalePdbModules = new(StringComparer.Ordinal);
    private readonly List<InlinedCall> _calls = new();
    private int _inliningEntries;

    /// <summary>
    /// Takes what it needs from a method, IL-map or module event; false for any other event. Feed
    /// every event of the trace, in stream order: a map is paired with the code its method last
    /// loaded, and the runtime sends the two together.
    /// </summary>
    public bool TryAdd(in TraceEventRecord record)
    {
        var metadata = record.Metadata;
        if (ClrEvents.IsMethodDefinition(metadata))
        {
            if (!ClrEventPayloads.TryReadMethod(record.Payload, out var identity, out var start, out _, out _, out _)) return false;
            lock (_gate)
            {
                _latestCodeOfMethod[identity.MethodId] = start;
                if (_mapsAwaitingCode.Remove(identity.MethodId, out var waiting)) _mapsByCode[(start, identity.MethodId)] = waiting;
                if (_inliningAwaitingCode.Remove(identity.MethodId, out var inlining)) _inliningByCode[(start, identity.MethodId)] = inlining;
            }

            return true;
        }

        if (ClrEvents.IsILToNativeMap(metadata))
        {
            if (!ClrEventPayloads.TryReadILToNativeMap(record.Payload, out var methodId, out var il, out var native)) return false;
            var map = new NativeToILMap(il, native);
            lock (_gate)
            {
                // Map after its code (the usual order): attach it to that code unless the code has one.
                if (_latestCodeOfMethod.TryGetValue(methodId, out var start) && _mapsByCode.TryAdd((start, methodId), map)) return true;
                _mapsAwaitingCode[methodId] = map;
            }

            return true;
        }

        if (ClrEvents.IsRichDebugInfo(metadata))
        {
            if (!ClrEventPayloads.TryReadRichDebugInfoChunk(record.Payload, out var methodId, out var chunkIndex, out var lastChunk, out var data)) return false;
            lock (_gate) AddRichDebugInfoChunk(methodId, chunkIndex, lastChunk, data);
            return true;
        }

        if (ClrEvents.IsMethodDetails(metadata))
        {
            if (!ClrEventPayloads.TryReadMethodDetails(record.Payload, out var methodId, out var token, out var loaderModuleId)) return false;
            lock (_gate) _inlinees[methodId] = new InlineeMethod(loaderModuleId, token);
            return true;
        }

        if (ClrEvents.IsModuleDefinition(metadata))
        {
            if (!ClrEventPayloads.TryReadModule(record.Payload, out var moduleId, out var ilPath, out var pdbBuildPath, out var pdbSignature) || ilPath.IsEmpty) return false;
            var module = new ModuleFile(ilPath.ToString(), pdbBuildPath.IsEmpty ? null : pdbBuildPath.ToString(), pdbSignature);
            lock (_gate) _modules[moduleId] = module;
            return true;
        }

        return false;
    }

    /// <summary>The source position of <paramref name="address"/>, which lies in <paramref name="code"/>.</summary>
    public bool TryResolve(in MethodCode code, ulong address, out string file, out int line)
    {
        file = "";
        line = 0;
        lock (_gate)
        {
            if (!_mapsByCode.TryGetValue((code.Start, code.Identity.MethodId), out var map)
                || !map.TryGetILOffset((uint)(address - code.Start), out var ilOffset)
                || !_modules.TryGetValue(code.Identity.ModuleId, out var module))
            {
                return false;
            }

            var pdb = PdbOf(module);
            return pdb is not null && pdb.TryGetLine(code.Identity.Token, ilOffset, out file, out line);
        }
    }

    /// <summary>
    /// The source position of the call at <paramref name="address"/> in <paramref name="code"/>,
    /// the leaf frame of an allocation's stack, which calls the runtime's allocator: as
    /// <see cref="TryResolve"/>, except where the JIT left the statement that makes the call
    /// without a mapping, which optimized loops do (their bodies map to the loop's condition or
    /// initializer). Then the line is that of the one statement with no native code mapped to it
    /// whose IL can allocate (<see cref="PortablePdbLines.TryGetLineOfUnmappedCall"/>).
    /// </summary>
    public bool TryResolveAllocationCall(in MethodCode code, ulong address, out string file, out int line)
    {
        if (!TryResolve(code, address, out file, out line)) return false;

        lock (_gate)
        {
            if (!_mapsByCode.TryGetValue((code.Start, code.Identity.MethodId), out var map)
                || !map.TryGetILOffset((uint)(address - code.Start), out var ilOffset)
                || !_modules.TryGetValue(code.Identity.ModuleId, out var module)
                || AssemblyOf(module)?.CallSitesOf(code.Identity.Token) is not { } callSites
                || PdbOf(module) is not { } pdb
                || !pdb.TryGetLineOfUnmappedCall(code.Identity.Token, ilOffset, callSites, map, out var callFile, out var callLine))
            {
                return true;
            }

            file = callFile;
            line = callLine;
            return true;
        }
    }

    /// <summary>
    /// The calls the JIT inlined into <paramref name="code"/> that run at <paramref name="address"/>,
    /// innermost first, each with its file and line where its module's PDB gives them; empty when
    /// the runtime reported none. An inlinee whose name cannot be read from its module is left out.
    /// </summary>
    public IReadOnlyList<Frame> InlinedFramesAt(in MethodCode code, ulong address)
    {
        lock (_gate)
        {
            if (!_inliningByCode.TryGetValue((code.Start, code.Identity.MethodId), out var inlining)) return [];

            _calls.Clear();
            inlining.AddInlinedCallsAt((uint)(address - code.Start), _calls);
            if (_calls.Count == 0) return [];

            var frames = new List<Frame>(_calls.Count);
            foreach (var call in _calls)
            {
                if (!_inlinees.TryGetValue(call.MethodId, out var inlinee) || !_modules.TryGetValue(inlinee.ModuleId, out var module)) continue;
                if (AssemblyOf(module)?.NameOf(inlinee.Token) is not { } names) continue;

                var (name, systemName) = names;
                var pdb = PdbOf(module);
                var frame = pdb is not null && pdb.TryGetLine(inlinee.Token, Math.Max(call.ILOffset, 0), out var file, out var line)
                    ? new Frame(name, file, call.ILOffset < 0 ? 0 : line) // without a trustworthy IL offset the file is known but the line is not
                    : new Frame(name);
                frames.Add(frame.WithSystemName(systemName));
            }

            return frames;
        }
    }

    /// <summary>Drops what it knows of <paramref name="codes"/>, freed code the address map forgot (<see cref="MethodAddressMap.ForgetUnheldCode"/>).</summary>
    public void Forget(IReadOnlyList<MethodCode> codes)
    {
        lock (_gate)
        {
            foreach (var code in codes)
            {
                var key = (code.Start, code.Identity.MethodId);
                _mapsByCode.Remove(key);
                if (_inliningByCode.Remove(key, out var inlining)) _inliningEntries -= inlining.MappingCount;
                if (_latestCodeOfMethod.TryGetValue(key.MethodId, out var latest) && latest == code.Start) _latestCodeOfMethod.Remove(key.MethodId);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var pdb in _pdbs.Values) pdb?.Dispose();
            _pdbs.Clear();
            foreach (var assembly in _assemblies.Values) assembly?.Dispose();
            _assemblies.Clear();
        }
    }

    /// <summary>
    /// The modules whose PDB on disk is not the traced code's (its id differs from the module event's
    /// signature: the assembly was rebuilt after the trace was taken), so their frames have no lines
    /// rather than another build's.
    /// </summary>
    public IReadOnlyList<string> StalePdbModules
    {
        get
        {
            lock (_gate) return [.. _stalePdbModules.Order(StringComparer.Ordinal)];
        }
    }

    private PortablePdbLines? PdbOf(ModuleFile module)
    {
        if (!_pdbs.TryGetValue(module.Path, out var pdb))
        {
            pdb = PortablePdbLines.TryOpen(module.Path, module.PdbBuildPath, module.PdbSignature, out var stale);
            if (stale) _stalePdbModules.Add(module.Path);
            _pdbs.Add(module.Path, pdb);
        }

        return pdb;
    }

    private AssemblyMethodNames? AssemblyOf(ModuleFile module) =>
        OpenOnce(_assemblies, module, static module => AssemblyMethodNames.TryOpen(module.Path));

    /// <summary>A module's reader, opened on first use (static delegates: this runs for every frame); a file that cannot be read is remembered as null.</summary>
    private static T? OpenOnce<T>(Dictionary<string, T?> opened, ModuleFile module, Func<ModuleFile, T?> open)
        where T : class
    {
        if (!opened.TryGetValue(module.Path, out var reader))
        {
            reader = open(module);
            opened.Add(module.Path, reader);
        }

        return reader;
    }

    /// <summary>Collects the chunks of one rich debug info blob (the runtime splits those over 40,000 bytes) and keeps the parsed whole.</summary>
    private void AddRichDebugInfoChunk(ulong methodId, int chunkIndex, bool lastChunk, ReadOnlySpan<byte> data)
    {
        RichDebugInfo? inlining;
        if (chunkIndex == 0 && lastChunk)
        {
            _partialInlining.Remove(methodId);
            inlining = RichDebugInfo.TryParse(data);
        }
        else
        {
            if (chunkIndex == 0) _partialInlining[methodId] = new RichDebugInfoChunks();
            if (!_partialInlining.TryGetValue(methodId, out var chunks) || !chunks.TryAppend(chunkIndex, data))
            {
                _partialInlining.Remove(methodId); // a chunk missing or out of order: the blob is lost
                return;
            }

            if (!lastChunk) return;
            _partialInlining.Remove(methodId);
            inlining = RichDebugInfo.TryParse(chunks.Blob);
        }

        if (inlining is null) return; // malformed, or nothing inlined
        if (_inliningEntries + inlining.MappingCount > MaxInliningEntries) return;

        // The runtime sends it after the method's load event: it belongs to the code that method last
        // loaded (a rundown repeats it for code that has it already). Without such code, it waits.
        var stored = _latestCodeOfMethod.TryGetValue(methodId, out var start)
            ? _inliningByCode.TryAdd((start, methodId), inlining)
            : _inliningAwaitingCode.TryAdd(methodId, inlining);
        if (stored) _inliningEntries += inlining.MappingCount;
    }

    /// <summary>A module as its load event names it: its file, the PDB its build wrote, and the id that PDB must have (<see cref="Guid.Empty"/>: unknown).</summary>
    private readonly record struct ModuleFile(string Path, string? PdbBuildPath, Guid PdbSignature);

    /// <summary>What a MethodDetails event says of a method: its loader module (for all but some generic instantiations, the one that defines it) and its token.</summary>
    private readonly record struct InlineeMethod(ulong ModuleId, uint Token);

    private sealed class RichDebugInfoChunks
    {
        /// <summary>More than any real method's blob; a stream that claims more is not trusted with memory.</summary>
        private const int MaxBlobBytes = 4 << 20;

        private byte[] _blob = new byte[64 * 1024];
        private int _length;
        private int _nextChunk;

        public ReadOnlySpan<byte> Blob => _blob.AsSpan(0, _length);

        public bool TryAppend(int chunkIndex, ReadOnlySpan<byte> data)
        {
            if (chunkIndex != _nextChunk || _length + data.Length > MaxBlobBytes) return false;
            if (_length + data.Length > _blob.Length) Array.Resize(ref _blob, Math.Min(MaxBlobBytes, Math.Max(_blob.Length * 2, _length + data.Length)));
            data.CopyTo(_blob.AsSpan(_length));
            _length += data.Length;
            _nextChunk++;
            return true;
        }
    }
}
