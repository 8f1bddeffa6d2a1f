using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Symbols;

/// <summary>
/// Names the raw stacks of a process as pprof frames (<see cref="StackSymbolizer"/>), asking for a
/// rundown only when it must: addresses of code compiled before the events began (ReadyToRun code,
/// early JIT) are named by a rundown, a list of every loaded method the runtime sends at the end of
/// a session. Where the events already hold one (a trace file), there is nothing to ask for.
/// </summary>
internal sealed class MethodSymbolizer
{
    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap? _lines;
    private readonly Action<INetTraceHandler>? _rundown;
    private readonly StackSymbolizer _frames;
    private readonly HashSet<ulong> _triedRundownFor = new();
    private readonly object _rundownGate = new();

    /// <param name="methods">The method ranges the events reported.</param>
    /// <param name="lines">The line map, or null for names without lines.</param>
    /// <param name="rundown">
    /// Runs a rundown of the traced process and hands each of its events to the handler, returning
    /// once the rundown has been read; null where none can be had (the events are all there is).
    /// </param>
    public MethodSymbolizer(MethodAddressMap methods, SourceLineMap? lines, Action<INetTraceHandler>? rundown)
    {
        _methods = methods;
        _lines = lines;
        _rundown = rundown;
        _frames = new StackSymbolizer(methods, lines);
    }

    /// <summary>
    /// Makes sure every address of <paramref name="stacks"/> has been looked up in a rundown at least
    /// once, running one now if some have not. Addresses still unknown after that are native code.
    /// </summary>
    public void PrepareFor(IEnumerable<ulong[]> stacks)
    {
        if (_rundown is null) return;

        lock (_rundownGate)
        {
            var unknown = new HashSet<ulong>();
            foreach (var stack in stacks)
            {
                foreach (var address in stack)
                {
                    if (StackTable.MarkerName(address) is null && !CodeFrames.TryDecode(address, out _, out _) && !_triedRundownFor.Contains(address) && _methods.Resolve(address) is null) unknown.Add(address);
                }
            }

            if (unknown.Count == 0) return;

            // The rundown lists modules and IL-to-native maps too (its default keywords include them),
            // and inline trees with their inlinees' details when the runtime reports inlining.
            _rundown(new MethodDefinitionCollector(_methods, _lines));
            _triedRundownFor.UnionWith(unknown);
        }
    }

    /// <inheritdoc cref="StackSymbolizer.Symbolize"/>
    public List<Frame> Symbolize(ulong[] stack) => _frames.Symbolize(stack);

    /// <inheritdoc cref="StackSymbolizer.SymbolizeAllocation"/>
    public List<Frame> SymbolizeAllocation(ulong[] stack) => _frames.SymbolizeAllocation(stack);

    /// <inheritdoc cref="StackSymbolizer.Locate"/>
    public CodeLocation? Locate(ulong address) => _frames.Locate(address);

    /// <summary>The managed method whose code holds <paramref name="address"/>, if the events have reported it.</summary>
    public string? ResolveMethod(ulong address) => _methods.Resolve(address);

    private sealed class MethodDefinitionCollector(MethodAddressMap methods, SourceLineMap? lines) : INetTraceHandler
    {
        public void OnEvent(in TraceEventRecord record)
        {
            methods.TryAdd(record);
            lines?.TryAdd(record);
        }
    }
}
