namespace ProfilingKit.EventPipe;

/// <summary>
/// The runtime events ProfilingKit reads, told apart once per event's metadata (<see cref="EventMetadata.Kind"/>)
/// so that handlers compare one number per event instead of provider names.
/// </summary>
internal enum ClrEventKind
{
    /// <summary>An event ProfilingKit does not read.</summary>
    Other,

    /// <summary>MethodLoadVerbose, or a rundown's MethodDCStart/EndVerbose: a method's code range and name.</summary>
    MethodDefinition,

    /// <summary>MethodUnloadVerbose: a method's code freed (dynamic methods, collectible assemblies).</summary>
    MethodUnload,

    /// <summary>MethodILToNativeMap, or a rundown's MethodDCStart/EndILToNativeMap.</summary>
    ILToNativeMap,

    /// <summary>ModuleLoad/Unload, or a rundown's ModuleDCStart/End: a module and its PDB.</summary>
    ModuleDefinition,

    /// <summary>MethodRichDebugInfo (the private provider): inline trees.</summary>
    RichDebugInfo,

    /// <summary>MethodDetails: names of inlinees.</summary>
    MethodDetails,

    /// <summary>The SampleProfiler's ThreadSample.</summary>
    ThreadSample,

    AllocationSampled,

    ContentionStart,

    ContentionStop,

    ThreadCreating,

    ThreadRunning,

    GCStart,

    GCEnd,

    GCRestartEEEnd,

    GCSuspendEEBegin,

    /// <summary>BulkType: the names of the types a heap walk lists.</summary>
    BulkType,

    /// <summary>GCBulkNode: the objects of a heap walk.</summary>
    GCBulkNode,

    /// <summary>GCAllocationTick: one per ~100 KB allocated, the biased sampling before AllocationSampled (not emitted while AllocationSampled is on).</summary>
    GCAllocationTick,

    /// <summary>GCGenerationRange: one region of a generation, listed at each GC's start and end (GCHeapSurvivalAndMovement).</summary>
    GCGenerationRange,

    /// <summary>GCBulkSurvivingObjectRanges: the address ranges of the objects a GC that did not compact kept.</summary>
    GCSurvivingRanges,

    /// <summary>GCBulkMovedObjectRanges: the address ranges of the objects a compacting GC kept, old and new.</summary>
    GCMovedRanges,

    /// <summary>ProfilingKit's own LabelSet event: what a label set's number stands for (<see cref="Labels.LabelSetEvents"/>).</summary>
    LabelSet,
}
