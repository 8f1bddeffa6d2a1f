using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Heap;

namespace ProfilingKit.EventPipe;

/// <summary>
/// Every provider list of the sessions ProfilingKit opens on its own process, in one place: what
/// each session asks the runtime for, and why (notes on the keywords in <see cref="ClrEvents"/>).
/// </summary>
internal static class SessionProviders
{
    /// <summary>
    /// Whether the runtime reports the calls its JIT inlines (rich debug info). It does only in a
    /// process started with DOTNET_RichDebugInfo=1: the runtime reads the setting once, at start-up.
    /// </summary>
    public static bool RuntimeReportsInlining { get; } = IsEnabled("DOTNET_RichDebugInfo") || IsEnabled("COMPlus_RichDebugInfo");

    /// <summary>
    /// The always-on session, from start-up: allocation sampling, contention and thread events for
    /// their profiles, the label sets their samples name (ProfilingKit's own provider), and the JIT/loader events with IL-to-native maps (and inline trees where the
    /// runtime reports them) that name and place the code of every stack. MethodLoadVerbose is Verbose.
    /// </summary>
    public static EventPipeProvider[] AlwaysOn() =>
    [
        new EventPipeProvider(
            ClrEvents.RuntimeProvider,
            EventLevel.Verbose,
            ClrEvents.AllocationSamplingKeyword | ClrEvents.ContentionKeyword | ClrEvents.ThreadingKeyword | ClrEvents.JitKeyword | ClrEvents.LoaderKeyword
            | ClrEvents.JittedMethodILToNativeMapKeyword | InlineeKeywords),
        new EventPipeProvider(Labels.LabelSetEvents.ProviderName, EventLevel.Informational),
        .. InliningProviders(),
    ];

    /// <summary>
    /// The GC events that follow the sampled objects (<see cref="Allocations.LiveObjectTracker"/>): each GC's
    /// start and end, its generations' regions and the ranges of what it kept. Informational, so the
    /// runtime's AllocationTick (Verbose) stays off.
    /// </summary>
    public static EventPipeProvider[] LiveHeap() =>
        [new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Informational, ClrEvents.GCKeyword | ClrEvents.GCHeapSurvivalAndMovementKeyword)];

    /// <summary>The runtime's stack sampler alone: CPU and wall-clock profiles, goroutine snapshots.</summary>
    public static EventPipeProvider[] ThreadSampler() => [new EventPipeProvider(ClrEvents.SampleProfilerProvider, EventLevel.Informational)];

    /// <summary>
    /// A session whose only purpose is its rundown (requested when it starts, sent when it stops):
    /// every loaded method with its IL map; with inlining reported, each method's inline tree and its
    /// inlinees' details too. Otherwise nothing but the rundown: a provider at Critical with no keywords.
    /// </summary>
    public static EventPipeProvider[] Rundown() =>
        RuntimeReportsInlining
            ? [new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Informational, InlineeKeywords), .. InliningProviders()]
            : [new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Critical, 0)];

    /// <summary>A heap snapshot: the keywords dotnet-gcdump asks for, whose session start makes the runtime walk the heap.</summary>
    public static EventPipeProvider[] HeapSnapshot() =>
        [new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Verbose, HeapSnapshotEvents.SnapshotKeywords)];

    /// <summary>
    /// The raw trace of <c>/debug/pprof/trace</c>: the providers of a default dotnet-trace session, the
    /// SampleProfiler's CPU samples and the runtime's GC, contention, loader, JIT, exception and thread
    /// events; MethodLoadVerbose names the code JIT-compiled during the window.
    /// </summary>
    public static EventPipeProvider[] Trace() =>
    [
        new EventPipeProvider(ClrEvents.SampleProfilerProvider, EventLevel.Informational),
        new EventPipeProvider(
            ClrEvents.RuntimeProvider,
            EventLevel.Verbose,
            ClrEvents.GCKeyword | ClrEvents.LoaderKeyword | ClrEvents.JitKeyword | ClrEvents.ContentionKeyword | ClrEvents.ExceptionKeyword
            | ClrEvents.ThreadingKeyword | ClrEvents.JittedMethodILToNativeMapKeyword),
    ];

    /// <summary>The keyword that names inlinees (MethodDetails); 0 unless <see cref="RuntimeReportsInlining"/>.</summary>
    private static long InlineeKeywords => RuntimeReportsInlining ? ClrEvents.MethodDiagnosticKeyword : 0;

    /// <summary>The providers that carry inline trees; none unless <see cref="RuntimeReportsInlining"/>.</summary>
    private static EventPipeProvider[] InliningProviders() =>
        RuntimeReportsInlining
            ? [new EventPipeProvider(ClrEvents.PrivateProvider, EventLevel.Informational, ClrEvents.JittedMethodRichDebugInfoKeyword)]
            : [];

    /// <summary>The runtime's reading of a DWORD setting: hexadecimal, on when not zero.</summary>
    private static bool IsEnabled(string variable) =>
        uint.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.HexNumber, null, out var value) && value != 0;
}
