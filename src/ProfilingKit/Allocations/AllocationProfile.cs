using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>Builds the Go-compatible <c>allocs</c> profile from sampled allocations.</summary>
internal static class AllocationProfile
{
    public const string Comment =
        "ProfilingKit: allocations sampled by the .NET runtime (AllocationSampled, about one per 100 KB per thread); " +
        "values are unbiased estimates. inuse_* values are not collected yet and are zero.";

    public static Profile Build(AllocationSnapshot snapshot, MethodSymbolizer symbolizer, string mainBinary, DateTimeOffset now)
    {
        symbolizer.PrepareFor(snapshot.Sites.Select(site => site.Stack));

        var builder = new ProfileBuilder(ProfileTypes.Memory, mainBinary)
            .SetPeriod(ProfileTypes.MemoryPeriod, EventPipe.ClrEvents.AllocationSamplingInterval)
            .SetDefaultSampleType(ProfileTypes.AllocSpace)
            .SetTime(now)
            .AddComment(Comment);

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

        return builder.Build();
    }
}
