using ProfilingKit.EventPipe;

namespace ProfilingKit.Symbols;

/// <summary>
/// Gives code addresses their source file and line: the runtime's IL-to-native maps (keyword
/// JittedMethodILToNativeMap, and the rundown's) take a native offset to an IL offset, and the
/// module's portable PDB takes that to a line. Thread-safe: events arrive on a reader thread
/// while profiles are built on others.
/// </summary>
internal sealed class SourceLineMap : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<ulong, ModuleFile> _modules = new();
    private readonly Dictionary<ulong, ulong> _latestCodeOfMethod = new();
    private readonly Dictionary<ulong, NativeToILMap> _mapsByCodeStart = new();
    private readonly Dictionary<ulong, NativeToILMap> _mapsAwaitingCode = new();
    private readonly Dictionary<string, PortablePdbLines?> _pdbs = new(StringComparer.Ordinal);

    /// <summary>Modules whose PDB was found and read.</summary>
    public int PdbCount
    {
        get
        {
            lock (_gate) return _pdbs.Values.Count(pdb => pdb is not null);
        }
    }

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
                if (_mapsAwaitingCode.Remove(identity.MethodId, out var waiting)) _mapsByCodeStart[start] = waiting;
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
                if (_latestCodeOfMethod.TryGetValue(methodId, out var start) && _mapsByCodeStart.TryAdd(start, map)) return true;
                _mapsAwaitingCode[methodId] = map;
            }

            return true;
        }

        if (ClrEvents.IsModuleDefinition(metadata))
        {
            if (!ClrEventPayloads.TryReadModule(record.Payload, out var moduleId, out var ilPath, out var pdbBuildPath) || ilPath.IsEmpty) return false;
            var module = new ModuleFile(ilPath.ToString(), pdbBuildPath.IsEmpty ? null : pdbBuildPath.ToString());
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
            if (!_mapsByCodeStart.TryGetValue(code.Start, out var map)
                || !map.TryGetILOffset((uint)(address - code.Start), out var ilOffset)
                || !_modules.TryGetValue(code.Identity.ModuleId, out var module))
            {
                return false;
            }

            var pdb = PdbOf(module);
            return pdb is not null && pdb.TryGetLine(code.Identity.Token, ilOffset, out file, out line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var pdb in _pdbs.Values) pdb?.Dispose();
            _pdbs.Clear();
        }
    }

    private PortablePdbLines? PdbOf(ModuleFile module)
    {
        if (!_pdbs.TryGetValue(module.Path, out var pdb))
        {
            pdb = PortablePdbLines.TryOpen(module.Path, module.PdbBuildPath);
            _pdbs.Add(module.Path, pdb);
        }

        return pdb;
    }

    private readonly record struct ModuleFile(string Path, string? PdbBuildPath);
}
