using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;
using ProfilingKit.Threads;

namespace ProfilingKit.Profiles;

/// <summary>
/// <c>goroutine</c>: the stack of every managed thread now, from one pass of the runtime's sampler;
/// debug=1 Go's count text grouped by stack, debug=2 one block per thread with its state and creator.
/// </summary>
internal sealed class GoroutineProfileSource : SnapshotProfileSource<IReadOnlyList<ThreadStack>>
{
    /// <summary>What a goroutine is here, and what cannot be seen: in the profile's comment and the text's first lines.</summary>
    public const string Note =
        "ProfilingKit: one goroutine per managed thread (id = OS thread id), its stack from one pass of the runtime's SampleProfiler. " +
        "Tasks parked in await are not on any thread and have no stack, so they do not appear; the profiler's own threads are left out.";

    private readonly ThreadStackSampler _stacks;
    private readonly ThreadCreationSampler _creations;

    public GoroutineProfileSource(ThreadStackSampler stacks, ThreadCreationSampler creations, ProfileNames names)
        : base(
            "goroutine",
            "Stack traces of all current managed threads (a goroutine is a thread here). Use debug=2 as a query parameter to export in the same format as an unrecovered panic.",
            names)
    {
        _stacks = stacks;
        _creations = creations;
    }

    public override long Count => _creations.LiveCount;

    protected override IReadOnlyList<ThreadStack> Take() => _stacks.Now(CancellationToken.None);

    protected override IEnumerable<ulong[]> StacksOf(IReadOnlyList<ThreadStack> snapshot) =>
        snapshot.Select(thread => thread.Stack).Concat(snapshot.Where(thread => thread.CreatedBy is not null).Select(thread => thread.CreatedBy!.Stack));

    protected override Profile Build(IReadOnlyList<ThreadStack> snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window) =>
        CountProfile.Build("goroutine", Counts(snapshot), symbolizer.Symbolize, Names.MainBinary, time, Note, []);

    protected override string Text(IReadOnlyList<ThreadStack> snapshot, MethodSymbolizer symbolizer, int debug) =>
        debug == 1
            ? GoLegacyText.CountProfile("goroutine", Counts(snapshot), symbolizer.Locate, [Note], [])
            : GoroutineDumpText.Render(snapshot, symbolizer.Locate, [Note]);

    private static IReadOnlyList<(ulong[] Stack, long Count)> Counts(IReadOnlyList<ThreadStack> threads) => StackCounter.Of(threads.Select(thread => thread.Stack));
}
