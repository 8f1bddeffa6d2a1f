using System.Globalization;
using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Heap;
using ProfilingKit.Http;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary>
/// <c>heap</c>, with the sampled allocations by stack as alloc_*. Its inuse_* are, where the sampled
/// objects are followed through GCs (<see cref="LiveObjectTracker"/>), what is still live of them by
/// allocation stack, as in Go; otherwise, and with <c>by=type</c>, the live heap now by type from a heap
/// snapshot (a blocking full GC). A delta's start needs no snapshot: only alloc_* are subtracted,
/// inuse_* is the end's.
/// </summary>
internal sealed class HeapProfileSource : SnapshotProfileSource<HeapProfileSource.State>
{
    private readonly AllocationSampler _allocations;
    private readonly RuntimeSessions _sessions;
    private readonly HeapTypeNames _types;
    private readonly bool _byType;
    private HeapProfileSource? _byTypeVariant;

    public HeapProfileSource(AllocationSampler allocations, RuntimeSessions sessions, ProfileNames names)
        : this(allocations, sessions, names, new HeapTypeNames(), byType: !allocations.FollowsLiveObjects)
    {
    }

    private HeapProfileSource(AllocationSampler allocations, RuntimeSessions sessions, ProfileNames names, HeapTypeNames types, bool byType)
        : base(
            "heap",
            "A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC before taking the heap sample. " +
            (allocations.FollowsLiveObjects
                ? "(ProfilingKit: live objects by allocation stack as of the last GC; by=type takes a heap snapshot by type instead, itself a blocking full GC.)"
                : "(ProfilingKit: every request takes a heap snapshot, which is itself a blocking full GC, so gc=1 changes nothing.)"),
            names)
    {
        _allocations = allocations;
        _sessions = sessions;
        _types = types;
        _byType = byType;
    }

    /// <summary><c>by=stack</c> (the default where live objects are followed) or <c>by=type</c> (a heap snapshot; the default otherwise).</summary>
    public override ProfileSource For(PprofQuery query) => query["by"] switch
    {
        null or "" => this,
        "type" => _byType ? this : _byTypeVariant ??= new HeapProfileSource(_allocations, _sessions, Names, _types, byType: true),
        "stack" when !_byType => this,
        "stack" => throw new PprofRequestException(
            System.Net.HttpStatusCode.BadRequest,
            "by=stack needs the live heap followed by allocation stack, which is off (PROFILINGKIT_PPROF_LIVE_HEAP=1 or DebugPprofOptions.FollowLiveHeap turns it on); by=type is the heap snapshot"),
        var other => throw new PprofRequestException(System.Net.HttpStatusCode.BadRequest, $"invalid by: '{other}' (by=stack or by=type)"),
    };

    public override long Count => _allocations.StackCount;

    protected override State Take()
    {
        _sessions.EnsureSampling();
        if (!_byType) return new State(null, _allocations.Snapshot());

        var heap = _sessions.TakeHeapSnapshot(_types);
        return new State(heap, _allocations.Snapshot() with { Live = null });
    }

    protected override State TakeAtDeltaStart()
    {
        _sessions.EnsureSampling();
        return new State(null, _allocations.Snapshot() with { Live = null });
    }

    protected override IEnumerable<ulong[]> StacksOf(State snapshot) => snapshot.Allocations.Stacks;

    protected override Profile Build(State snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window)
    {
        if (snapshot.Allocations.Live is { } live)
        {
            var profile = AllocationProfile.CreateBuilder(Names.MainBinary, time)
                .SetDefaultSampleType(ProfileTypes.InuseSpace)
                .AddComment(AllocationProfile.LiveComment(live) + " " + (window is { } w
                    ? string.Create(CultureInfo.InvariantCulture, $"alloc_* are the allocations sampled in the last {w.TotalSeconds:0.#} s (seconds=N: end minus start); inuse_* are the end's, not a difference.")
                    : "alloc_* are the allocs profile's sampled allocations since start. heap?by=type is the live heap by type from a snapshot."));
            AllocationProfile.AddSamples(profile, snapshot.Allocations, symbolizer.SymbolizeAllocation);
            return profile.Build();
        }

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
