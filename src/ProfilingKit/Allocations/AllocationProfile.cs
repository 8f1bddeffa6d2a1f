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

    public static Profile Build(AllocationSnapshot snapshot, MethodSymbolizer symbolizer, string mainBinary, DateTimeOffset now)
    {
        var builder = CreateBuilder(mainBinary, now)
            .SetDefaultSampleType(ProfileTypes.AllocSpace)
            .AddComment(Comment);
        AddSamples(builder, snapshot, symbolizer);
        return builder.Build();
    }

    /// <summary>A builder with Go's memory sample types and period, shared by allocs and heap.</summary>
    public static ProfileBuilder CreateBuilder(string mainBinary, DateTimeOffset now) =>
        new ProfileBuilder(ProfileTypes.Memory, mainBinary)
            .SetPeriod(ProfileTypes.MemoryPeriod, EventPipe.ClrEvents.AllocationSamplingInterval)
            .SetTime(now);

    /// <summary>Adds the sampled allocations as alloc_objects and alloc_space by stack, with inuse_* zero.</summary>
    public static void AddSamples(ProfileBuilder builder, AllocationSnapshot snapshot, MethodSymbolizer symbolizer)
    {
        symbolizer.PrepareFor(snapshot.Sites.Select(site => site.Stack));

        var values = new long[4];
        var labels = new SampleLabel[1];
        foreach (var site in snapshot.Sites)
        {
            var frames = symbolizer.Symbolize(site.Stack);
            if (frames.Count == 0) frames.Add(new Frame(MethodSymbolizer.NativeCodeFrame));

            values[0] = (long)Math.Round(site.Objects);
            values[1] = (long)Math.Round(site.Bytes);
            labels[0] = SampleLabel.String("type", site.TypeName);
            builder.AddSample(frames, values, labels);
        }
    }
}
