namespace ProfilingKit.Gc;

/// <summary>What the runtime's GC events said about one collection; a field not seen stays null.</summary>
internal sealed class GcRecord
{
    public GcRecord(int number, int generation, GcReason reason, GcKind kind, long startTicks)
    {
        Number = number;
        Generation = generation;
        Reason = reason;
        Kind = kind;
        StartTicks = startTicks;
    }

    /// <summary>The runtime's GC index: GC.CollectionCount(0) once this GC has run.</summary>
    public int Number { get; }

    /// <summary>The condemned generation (GCStart's Depth).</summary>
    public int Generation { get; }

    public GcReason Reason { get; }

    public GcKind Kind { get; }

    /// <summary>GCStart's time, in <see cref="DateTime.Ticks"/>.</summary>
    public long StartTicks { get; }

    /// <summary>GCEnd's time, or 0 while the GC runs.</summary>
    public long EndTicks { get; set; }

    /// <summary>
    /// The pauses this GC took part in: one for a blocking GC; for a background GC the initial one
    /// and the final one (more if the runtime suspends it again).
    /// </summary>
    public List<GcPause> Pauses { get; } = new(2);

    /// <summary>Sum of GCHeapStats' generation sizes (gen0, gen1, gen2, LOH, POH) after the GC.</summary>
    public long? HeapAfterBytes { get; set; }

    /// <summary>Bytes that survived the condemned generations (GCHeapStats' TotalPromotedSize*).</summary>
    public long? PromotedBytes { get; set; }

    /// <summary>GCGlobalHeapHistory's FinalYoungestDesired: how much gen0 may allocate before the next GC.</summary>
    public long? Gen0BudgetBytes { get; set; }

    /// <summary>GCGlobalHeapHistory's NumHeaps (1 for workstation GC).</summary>
    public int? HeapCount { get; set; }

    public bool HasEnded => EndTicks != 0;

    public bool HasHeapStats => HeapAfterBytes is not null;
}
