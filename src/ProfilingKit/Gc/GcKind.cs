namespace ProfilingKit.Gc;

/// <summary>GCStart's Type field.</summary>
internal enum GcKind
{
    /// <summary>A blocking GC: the app stands still from start to end.</summary>
    NonConcurrent = 0,

    /// <summary>A gen2 GC that marks while the app runs, with a short pause at each end.</summary>
    Background = 1,

    /// <summary>An ephemeral GC that runs while a background GC is in progress.</summary>
    Foreground = 2,
}
