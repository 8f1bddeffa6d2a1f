namespace ProfilingKit.EventPipe;

/// <summary>Providers, keywords and event ids of the runtime events ProfilingKit reads (dotnet/runtime src/coreclr/vm/ClrEtwAll.man and the SampleProfiler source).</summary>
internal static class ClrEvents
{
    public const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    public const string RundownProvider = "Microsoft-Windows-DotNETRuntimeRundown";

    /// <summary>The runtime's private provider: it carries the JIT's rich debug info (inline trees).</summary>
    public const string PrivateProvider = "Microsoft-Windows-DotNETRuntimePrivate";

    /// <summary>The runtime's stack sampler: about every millisecond it suspends the runtime and walks every managed thread.</summary>
    public const string SampleProfilerProvider = "Microsoft-DotNETCore-SampleProfiler";

    /// <summary>ThreadSample, the sampler's only event (no keywords, Informational).</summary>
    public const int ThreadSampleEventId = 0;

    public const long GCKeyword = 0x1;

    /// <summary>GCHeapSurvivalAndMovement: each GC lists its generations' regions and the address ranges of the objects it kept (moved, if it compacted).</summary>
    public const long GCHeapSurvivalAndMovementKeyword = 0x400000;

    public const long LoaderKeyword = 0x8;
    public const long JitKeyword = 0x10;

    /// <summary>JittedMethodILToNativeMap: one MethodILToNativeMap event per JIT, the native-to-IL offsets that give lines.</summary>
    public const long JittedMethodILToNativeMapKeyword = 0x20000;

    /// <summary>
    /// JittedMethodRichDebugInfo on the private provider: one MethodRichDebugInfo event per JIT (and
    /// per method in a rundown), but only in a process started with DOTNET_RichDebugInfo=1.
    /// </summary>
    public const long JittedMethodRichDebugInfoKeyword = 0x40000;

    /// <summary>MethodRichDebugInfo on the private provider: the inline tree and the IL-to-native mappings with inline contexts.</summary>
    public const int MethodRichDebugInfoEventId = 189;

    /// <summary>MethodDiagnostic: MethodDetails events, which name the inlinees of rich debug info by token and module.</summary>
    public const long MethodDiagnosticKeyword = 0x4000000000;

    public const int MethodDetailsEventId = 72;

    /// <summary>Randomized allocation sampling, .NET 10: one AllocationSampled event per ~100 KB per thread.</summary>
    public const long AllocationSamplingKeyword = 0x80000000000;

    public const int AllocationSampledEventId = 303;

    /// <summary>GCAllocationTick (keyword GC at Verbose): what dotnet-trace's gc-verbose profile records.</summary>
    public const int GCAllocationTickEventId = 10;

    /// <summary>Lock contention: a ContentionStart (with the waiter's stack) and a ContentionStop per contended acquisition.</summary>
    public const long ContentionKeyword = 0x4000;

    public const int ContentionStartEventId = 81;

    public const int ContentionStopEventId = 91;

    public const long ExceptionKeyword = 0x8000;

    /// <summary>Thread events: ThreadCreating fires on the thread that starts a managed thread, so its stack is the creation stack.</summary>
    public const long ThreadingKeyword = 0x10000;

    public const int ThreadCreatingEventId = 70;

    /// <summary>ThreadRunning fires on the new thread as it starts, with the same thread object id as its ThreadCreating.</summary>
    public const int ThreadRunningEventId = 71;

    /// <summary>MethodLoadVerbose on the runtime provider; MethodDCStartVerbose on the rundown provider.</summary>
    public const int MethodLoadVerboseEventId = 143;

    /// <summary>MethodDCEndVerbose on the rundown provider (on the runtime provider 144 is <see cref="MethodUnloadVerboseEventId"/>).</summary>
    public const int MethodDCEndVerboseEventId = 144;

    /// <summary>MethodUnloadVerbose on the runtime provider: a dynamic method's or a collectible assembly's code freed, its range free for new code. The payload is MethodLoadVerbose's.</summary>
    public const int MethodUnloadVerboseEventId = 144;

    /// <summary>MethodILToNativeMap on the runtime provider.</summary>
    public const int MethodILToNativeMapEventId = 190;

    /// <summary>MethodDCStartILToNativeMap and MethodDCEndILToNativeMap on the rundown provider.</summary>
    public const int MethodDCStartILToNativeMapEventId = 149;

    public const int MethodDCEndILToNativeMapEventId = 150;

    /// <summary>ModuleLoad_V2 and ModuleUnload_V2 on the runtime provider (same payload).</summary>
    public const int ModuleLoadEventId = 152;

    public const int ModuleUnloadEventId = 153;

    /// <summary>ModuleDCStart_V2 and ModuleDCEnd_V2 on the rundown provider (151 and 152 there are DomainModule events, another payload).</summary>
    public const int ModuleDCStartEventId = 153;

    public const int ModuleDCEndEventId = 154;

    /// <summary>The mean number of bytes between two allocation samples, fixed by the runtime.</summary>
    public const int AllocationSamplingInterval = 100 * 1024;

    public const int GCStartEventId = 1;
    public const int GCEndEventId = 2;
    public const int GCRestartEEEndEventId = 3;
    public const int GCSuspendEEBeginEventId = 9;
    public const int BulkTypeEventId = 15;
    public const int GCBulkSurvivingObjectRangesEventId = 21;
    public const int GCBulkMovedObjectRangesEventId = 22;
    public const int GCGenerationRangeEventId = 23;
    public const int GCBulkNodeEventId = 18;

    /// <summary>What an event of <paramref name="provider"/> with <paramref name="eventId"/> is; decided once per metadata record.</summary>
    public static ClrEventKind KindOf(string provider, int eventId) => provider switch
    {
        RuntimeProvider => eventId switch
        {
            MethodLoadVerboseEventId => ClrEventKind.MethodDefinition,
            MethodUnloadVerboseEventId => ClrEventKind.MethodUnload,
            MethodILToNativeMapEventId => ClrEventKind.ILToNativeMap,
            ModuleLoadEventId or ModuleUnloadEventId => ClrEventKind.ModuleDefinition,
            MethodDetailsEventId => ClrEventKind.MethodDetails,
            AllocationSampledEventId => ClrEventKind.AllocationSampled,
            ContentionStartEventId => ClrEventKind.ContentionStart,
            ContentionStopEventId => ClrEventKind.ContentionStop,
            ThreadCreatingEventId => ClrEventKind.ThreadCreating,
            ThreadRunningEventId => ClrEventKind.ThreadRunning,
            GCStartEventId => ClrEventKind.GCStart,
            GCEndEventId => ClrEventKind.GCEnd,
            GCRestartEEEndEventId => ClrEventKind.GCRestartEEEnd,
            GCSuspendEEBeginEventId => ClrEventKind.GCSuspendEEBegin,
            BulkTypeEventId => ClrEventKind.BulkType,
            GCBulkNodeEventId => ClrEventKind.GCBulkNode,
            GCAllocationTickEventId => ClrEventKind.GCAllocationTick,
            GCGenerationRangeEventId => ClrEventKind.GCGenerationRange,
            GCBulkSurvivingObjectRangesEventId => ClrEventKind.GCSurvivingRanges,
            GCBulkMovedObjectRangesEventId => ClrEventKind.GCMovedRanges,
            _ => ClrEventKind.Other,
        },
        RundownProvider => eventId switch
        {
            MethodLoadVerboseEventId or MethodDCEndVerboseEventId => ClrEventKind.MethodDefinition,
            MethodDCStartILToNativeMapEventId or MethodDCEndILToNativeMapEventId => ClrEventKind.ILToNativeMap,
            ModuleDCStartEventId or ModuleDCEndEventId => ClrEventKind.ModuleDefinition,
            _ => ClrEventKind.Other,
        },
        PrivateProvider => eventId == MethodRichDebugInfoEventId ? ClrEventKind.RichDebugInfo : ClrEventKind.Other,
        SampleProfilerProvider => eventId == ThreadSampleEventId ? ClrEventKind.ThreadSample : ClrEventKind.Other,
        Labels.LabelSetEvents.ProviderName => eventId == Labels.LabelSetEvents.LabelSetEventId ? ClrEventKind.LabelSet : ClrEventKind.Other,
        _ => ClrEventKind.Other,
    };

    public static bool IsMethodDefinition(EventMetadata metadata) => metadata.Kind == ClrEventKind.MethodDefinition;

    public static bool IsMethodUnload(EventMetadata metadata) => metadata.Kind == ClrEventKind.MethodUnload;

    public static bool IsILToNativeMap(EventMetadata metadata) => metadata.Kind == ClrEventKind.ILToNativeMap;

    public static bool IsModuleDefinition(EventMetadata metadata) => metadata.Kind == ClrEventKind.ModuleDefinition;

    public static bool IsRichDebugInfo(EventMetadata metadata) => metadata.Kind == ClrEventKind.RichDebugInfo;

    public static bool IsMethodDetails(EventMetadata metadata) => metadata.Kind == ClrEventKind.MethodDetails;

    public static bool IsThreadSample(EventMetadata metadata) => metadata.Kind == ClrEventKind.ThreadSample;

    public static bool IsContentionStart(EventMetadata metadata) => metadata.Kind == ClrEventKind.ContentionStart;

    public static bool IsContentionStop(EventMetadata metadata) => metadata.Kind == ClrEventKind.ContentionStop;

    public static bool IsThreadCreating(EventMetadata metadata) => metadata.Kind == ClrEventKind.ThreadCreating;

    public static bool IsThreadRunning(EventMetadata metadata) => metadata.Kind == ClrEventKind.ThreadRunning;

    public static bool IsAllocationSampled(EventMetadata metadata) => metadata.Kind == ClrEventKind.AllocationSampled;
}
