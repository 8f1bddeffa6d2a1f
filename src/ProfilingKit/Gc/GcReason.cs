namespace ProfilingKit.Gc;

/// <summary>GCStart's Reason field (ClrEtwAll.man's GCReason map).</summary>
internal enum GcReason
{
    AllocSmall = 0,
    Induced = 1,
    LowMemory = 2,
    Empty = 3,
    AllocLarge = 4,
    OutOfSpaceSOH = 5,
    OutOfSpaceLOH = 6,
    InducedNotForced = 7,
    Internal = 8,
    InducedLowMemory = 9,
    InducedCompacting = 10,
    LowMemoryHost = 11,
    PMFullGC = 12,
    LowMemoryHostBlocking = 13,
}
