using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>Builds the Go-compatible <c>allocs</c> profile from sampled allocations.</summary>
internal static class AllocationProfile
{
    public const string Comment =
        "ProfilingKit: allocations sampled by the .NET runtime (AllocationSampled, about one per 100 KB per thread); " +
        "values are unbiased estimates. inuse_* values are zero here; /debug/pprof/heap has them.";

    /// <summary>
    /// The profile of <paramref name="snapshot"/>, its stacks named by <paramref name="symbolize"/>
    /// (leaf first), with <paramref name="comment"/> in pprof's header: where the samples come from.
    /// </summary>
    public static Profile Build(AllocationSnapshot snapshot, Func<ulong[], List<Frame>> symbolize, string mainBinary, DateTimeOffset now, string comment = Comment)
    {
        var builder = CreateBuilder(mainBinary, now)
            .SetDefaultSampleType(ProfileTypes.AllocSpace)
            .AddComment(comment);
        AddSamples(builder, snapshot, symbolize);
        return builder.Build();
    }

    /// <summary>A builder with Go's memory sample types and period, shared by allocs and heap.</summary>
    public static ProfileBuilder CreateBuilder(string mainBinary, DateTimeOffset now) =>
        new ProfileBuilder(ProfileTypes.Memory, mainBinary)
            .SetPeriod(ProfileTypes.MemoryPeriod, EventPipe.ClrEvents.AllocationSamplingInterval)
            .SetTime(now);

    /// <summary>
    /// Adds the sampled allocations as alloc_objects and alloc_space by stack, with inuse_* zero,
    /// their stacks named by <paramref name="symbolize"/> (leaf first).
    /// </summary>
    public static void AddSamples(ProfileBuilder builder, AllocationSnapshot snapshot, Func<ulong[], List<Frame>> symbolize)
    {
        if (snapshot.Bounds.Describe() is { } bounds) builder.AddComment(bounds);
        var values = new long[4];
        var typeOnly = new SampleLabel[1]; // reused: the builder copies labels, and most sites have no others
        foreach (var site in snapshot.Sites)
        {
            var frames = symbolize(site.Stack);
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            values[0] = (long)Math.Round(site.Objects);
            values[1] = (long)Math.Round(site.Bytes);
            typeOnly[0] = SampleLabel.String("type", site.TypeName);
            builder.AddSample(frames, values, site.Labels.Count == 0 ? typeOnly : [typeOnly[0], .. site.Labels]);
        }
    }
}
