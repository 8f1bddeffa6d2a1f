using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Heap;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary>
/// <c>heap</c>: the live heap now by type, from a heap snapshot (a blocking full GC), with the sampled
/// allocations by stack as alloc_*. A delta's start needs no snapshot: only alloc_* are subtracted,
/// inuse_* is the snapshot at the end.
/// </summary>
internal sealed class HeapProfileSource : SnapshotProfileSource<HeapProfileSource.State>
{
    private readonly AllocationSampler _allocations;
    private readonly RuntimeSessions _sessions;
    private readonly HeapTypeNames _types = new();

    public HeapProfileSource(AllocationSampler allocations, RuntimeSessions sessions, ProfileNames names)
        : base(
            "heap",
            "A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC before taking the heap sample. " +
            "(ProfilingKit: every request takes a heap snapshot, which is itself a blocking full GC, so gc=1 changes nothing.)",
            names)
    {
        _allocations = allocations;
        _sessions = sessions;
    }

    public override long Count => _allocations.StackCount;

    protected override State Take()
    {
        _sessions.EnsureSampling();
        var heap = _sessions.TakeHeapSnapshot(_types);
        return new State(heap, _allocations.Snapshot());
    }

    protected override State TakeAtDeltaStart()
    {
        _sessions.EnsureSampling();
        return new State(null, _allocations.Snapshot());
    }

    protected override IEnumerable<ulong[]> StacksOf(State snapshot) => snapshot.Allocations.Sites.Select(site => site.Stack);

    protected override Profile Build(State snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window)
    {
        if (snapshot.Heap is not { } heap)
        {
            // A delta's start: its alloc_* are subtracted, and it makes alloc_space the delta's default
            // (what a window of a heap profile is about); the end's comment says what the delta holds.
            var builder = AllocationProfile.CreateBuilder(Names.MainBinary, time).SetDefaultSampleType(ProfileTypes.AllocSpace);
            AllocationProfile.AddSamples(builder, snapshot.Allocations, symbolizer.SymbolizeAllocation);
            return builder.Build();
        }

        return HeapProfile.Build(heap, snapshot.Allocations, symbolizer.SymbolizeAllocation, Names.MainBinary, time, HeapProfile.Comment(heap, window));
    }

    protected override string Text(State snapshot, MethodSymbolizer symbolizer, int debug) =>
        GoLegacyText.HeapProfile(Build(snapshot, symbolizer, DateTimeOffset.UtcNow, window: null));

    /// <summary>A heap snapshot (none at a delta's start) and the sampled allocations of the same moment.</summary>
    internal sealed record State(HeapSnapshot? Heap, AllocationSnapshot Allocations);
}
