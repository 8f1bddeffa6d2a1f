using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Symbols;

/// <summary>
/// Turns raw stacks of this process into pprof frames (<see cref="StackSymbolizer"/>). Addresses of
/// code that was compiled before sampling started (ReadyToRun code, early JIT) are named by a
/// rundown: a short extra session whose end makes the runtime list every loaded method.
/// </summary>
internal sealed class MethodSymbolizer
{
    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap? _lines;
    private readonly DiagnosticsClient _client;
    private readonly ProfilerThreads _threads;
    private readonly StackSymbolizer _frames;
    private readonly HashSet<ulong> _triedRundownFor = new();
    private readonly object _rundownGate = new();

    public MethodSymbolizer(MethodAddressMap methods, DiagnosticsClient client, ProfilerThreads threads, SourceLineMap? lines = null)
    {
        _methods = methods;
        _lines = lines;
        _client = client;
        _threads = threads;
        _frames = new StackSymbolizer(methods, lines);
    }

    /// <summary>
    /// Whether the runtime reports the calls its JIT inlines (rich debug info). It does only in a
    /// process started with DOTNET_RichDebugInfo=1: the runtime reads the setting once, at start-up.
    /// </summary>
    public static bool RuntimeReportsInlining { get; } = IsEnabled("DOTNET_RichDebugInfo") || IsEnabled("COMPlus_RichDebugInfo");

    /// <summary>The providers that carry inlining, to add to a session that feeds the line map; none unless <see cref="RuntimeReportsInlining"/>.</summary>
    public static IEnumerable<EventPipeProvider> InliningProviders() =>
        RuntimeReportsInlining
            ? [new EventPipeProvider(ClrEvents.PrivateProvider, EventLevel.Informational, ClrEvents.JittedMethodRichDebugInfoKeyword)]
            : [];

    /// <summary>The runtime keyword that names inlinees (MethodDetails); 0 unless <see cref="RuntimeReportsInlining"/>.</summary>
    public static long InlineeKeywords => RuntimeReportsInlining ? ClrEvents.MethodDiagnosticKeyword : 0;

    /// <summary>Rundowns run so far (each costs a few hundred milliseconds).</summary>
    public int RundownCount { get; private set; }

    /// <summary>
    /// Makes sure every address of <paramref name="stacks"/> has been looked up in a rundown at least
    /// once, running one now if some have not. Addresses still unknown after that are native code.
    /// </summary>
    public void PrepareFor(IEnumerable<ulong[]> stacks)
    {
        lock (_rundownGate)
        {
            var unknown = new HashSet<ulong>();
            foreach (var stack in stacks)
            {
                foreach (var address in stack)
                {
                    if (!_triedRundownFor.Contains(address) && _methods.Resolve(address) is null) unknown.Add(address);
                }
            }

            if (unknown.Count == 0) return;

            RunRundown();
            _triedRundownFor.UnionWith(unknown);
        }
    }

    /// <inheritdoc cref="StackSymbolizer.Symbolize"/>
    public List<Frame> Symbolize(ulong[] stack) => _frames.Symbolize(stack);

    /// <inheritdoc cref="StackSymbolizer.Locate"/>
    public CodeLocation? Locate(ulong address) => _frames.Locate(address);

    private void RunRundown()
    {
        var handler = new MethodDefinitionCollector(_methods, _lines);
        // With inlining reported, the rundown repeats each method's inline tree and names its inlinees.
        var providers = RuntimeReportsInlining
            ? [new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Informational, InlineeKeywords), .. InliningProviders()]
            : new[] { new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Critical, 0) };
        using var session = SelfTraceSession.Start(_client, providers, requestRundown: true, bufferMegabytes: 64, handler, _threads, "ProfilingKit rundown");
        if (!session.StopAndDrain(TimeSpan.FromSeconds(30)))
        {
            ProfilingKitLog.Warn("the method rundown did not finish within 30 s; some frames may show as [native code].");
        }

        RundownCount++;
    }

    /// <summary>The runtime's reading of a DWORD setting: hexadecimal, on when not zero.</summary>
    private static bool IsEnabled(string variable) =>
        uint.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.HexNumber, null, out var value) && value != 0;

    private sealed class MethodDefinitionCollector : INetTraceHandler
    {
        private readonly MethodAddressMap _methods;
        private readonly SourceLineMap? _lines;

        public MethodDefinitionCollector(MethodAddressMap methods, SourceLineMap? lines)
        {
            _methods = methods;
            _lines = lines;
        }

        public void OnEvent(in TraceEventRecord record)
        {
            // The rundown lists modules and IL-to-native maps too (its default keywords include them),
            // and inline trees with their inlinees' details when the runtime reports inlining.
            _methods.TryAdd(record);
            _lines?.TryAdd(record);
        }
    }
}
