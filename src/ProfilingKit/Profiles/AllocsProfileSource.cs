using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary><c>allocs</c>: every allocation since start-up, sampled by the runtime, as unbiased estimates by allocation stack.</summary>
internal sealed class AllocsProfileSource : SnapshotProfileSource<AllocationSnapshot>
{
    private readonly AllocationSampler _sampler;
    private readonly RuntimeSessions _sessions;

    public AllocsProfileSource(AllocationSampler sampler, RuntimeSessions sessions, ProfileNames names)
        : base("allocs", "A sampling of all past memory allocations", names)
    {
        _sampler = sampler;
        _sessions = sessions;
    }

    public override long Count => _sampler.StackCount;

    protected override AllocationSnapshot Take()
    {
        _sessions.EnsureSampling();
        return _sampler.Snapshot();
    }

    protected override IEnumerable<ulong[]> StacksOf(AllocationSnapshot snapshot) => snapshot.Stacks;

    protected override Profile Build(AllocationSnapshot snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window) =>
        AllocationProfile.Build(snapshot, symbolizer.SymbolizeAllocation, Names.MainBinary, time, AllocationProfile.CommentFor(snapshot));

    protected override string Text(AllocationSnapshot snapshot, MethodSymbolizer symbolizer, int debug) =>
        GoLegacyText.HeapProfile(Build(snapshot, symbolizer, DateTimeOffset.UtcNow, window: null));
}
