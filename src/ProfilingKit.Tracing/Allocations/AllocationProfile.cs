using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Allocations;

/// <summary>Builds the Go-compatible <c>allocs</c> profile from sampled allocations.</summary>
internal static class AllocationProfile
{
    public const string Comment = Sampled + " inuse_* values are zero here; /debug/pprof/heap has them.";

    private const string Sampled =
        "ProfilingKit: allocations sampled by the .NET runtime (AllocationSampled, about one per 100 KB per thread); " +
        "values are unbiased estimates.";

    /// <summary>The allocs profile's comment for <paramref name="snapshot"/>: <see cref="Comment"/>, or where its objects are followed, what inuse_* are.</summary>
    public static string CommentFor(AllocationSnapshot snapshot) => snapshot.Live is { } live ? Sampled + " " + LiveComment(live) : Comment;

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
    /// What <c>inuse_*</c> hold where the sampled objects are followed through GCs (<see cref="AllocationSnapshot.Live"/>),
    /// and what could not be followed.
    /// </summary>
    public static string LiveComment(LiveHeap live)
    {
        var counts = live.Counts;
        var comment = new System.Text.StringBuilder(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"ProfilingKit: inuse_* are the sampled allocations still live after the last GC, by allocation stack (followed through {counts.AppliedGcs} GCs by the runtime's GC survival and movement events, each once both sessions had handed out what came before it); unbiased estimates, as Go's heap profile."));
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (counts.Late + counts.Dropped > 0)
        {
            comment.Append(culture, $" {counts.Late + counts.Dropped} samples could not be followed ({counts.Late} arrived late, {counts.Dropped} over the {LiveObjectTracker.MaxObjects} objects followed at most): inuse values may be low.");
        }

        if (counts.IncompleteGcs > 0)
        {
            comment.Append(culture, $" The events of {counts.IncompleteGcs} GCs were lost in part (the runtime drops events when they come faster than they are read): their deaths were not applied, so inuse values may be high.");
        }

        if (counts.Forced > 0)
        {
            comment.Append(culture, $" {counts.Forced} GC events were read before their stream had caught up (over {LiveObjectTracker.MaxWaitingEvents} waiting): inuse values may be off.");
        }

        return comment.ToString();
    }

    /// <summary>
    /// Adds the sampled allocations as alloc_objects and alloc_space by stack, and where the sampled
    /// objects are followed, what is still live of them as inuse_objects and inuse_space (otherwise
    /// zero); their stacks named by <paramref name="symbolize"/> (leaf first).
    /// </summary>
    public static void AddSamples(ProfileBuilder builder, AllocationSnapshot snapshot, Func<ulong[], List<Frame>> symbolize)
    {
        if (snapshot.Bounds.Describe() is { } bounds) builder.AddComment(bounds);
        Add(builder, snapshot.Sites, symbolize, inuse: false);
        if (snapshot.Live is { } live) Add(builder, live.Sites, symbolize, inuse: true);
    }

    private static void Add(ProfileBuilder builder, IReadOnlyList<AllocationSite> sites, Func<ulong[], List<Frame>> symbolize, bool inuse)
    {
        var values = new long[4];
        var offset = inuse ? 2 : 0;
        var typeOnly = new SampleLabel[1]; // reused: the builder copies labels, and most sites have no others
        foreach (var site in sites)
        {
            var frames = symbolize(site.Stack);
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            values[offset] = (long)Math.Round(site.Objects);
            values[offset + 1] = (long)Math.Round(site.Bytes);
            typeOnly[0] = SampleLabel.String("type", site.TypeName);
            builder.AddSample(frames, values, site.Labels.Count == 0 ? typeOnly : [typeOnly[0], .. site.Labels]);
        }
    }
}
