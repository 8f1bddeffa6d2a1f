namespace ProfilingKit.Pprof;

/// <summary>The sample types Go's runtime writes, so that pprof, Pyroscope and speedscope treat our profiles like Go's.</summary>
public static class ProfileTypes
{
    /// <summary>Go's allocs and heap sample types, in Go's order.</summary>
    public static IReadOnlyList<ValueTypeName> Memory { get; } = new[]
    {
        new ValueTypeName("alloc_objects", "count"),
        new ValueTypeName("alloc_space", "bytes"),
        new ValueTypeName("inuse_objects", "count"),
        new ValueTypeName("inuse_space", "bytes"),
    };

    /// <summary>The period type of memory profiles.</summary>
    public static ValueTypeName MemoryPeriod { get; } = new("space", "bytes");

    /// <summary>The estimated number of objects allocated, the allocs profile's first sample type.</summary>
    public const string AllocObjects = "alloc_objects";

    /// <summary>The default sample type of the allocs profile.</summary>
    public const string AllocSpace = "alloc_space";

    /// <summary>The default sample type of the heap profile (Go leaves it unset, and pprof then shows the last: inuse_space).</summary>
    public const string InuseSpace = "inuse_space";
}
