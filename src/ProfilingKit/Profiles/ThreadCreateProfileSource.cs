using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;
using ProfilingKit.Threads;

namespace ProfilingKit.Profiles;

/// <summary><c>threadcreate</c>: the stacks that started the managed threads alive now, as Go's <c>threadcreate/count</c> profile.</summary>
internal sealed class ThreadCreateProfileSource : SnapshotProfileSource<ThreadCreations>
{
    private readonly ThreadCreationSampler _sampler;
    private readonly RuntimeSessions _sessions;

    public ThreadCreateProfileSource(ThreadCreationSampler sampler, RuntimeSessions sessions, ProfileNames names)
        : base(ThreadCreateProfile.Type, "Stack traces that led to the creation of the managed threads alive now", names)
    {
        _sampler = sampler;
        _sessions = sessions;
    }

    public override long Count => _sampler.LiveCount;

    protected override ThreadCreations Take()
    {
        _sessions.EnsureSampling();
        return _sampler.Snapshot();
    }

    protected override IEnumerable<ulong[]> StacksOf(ThreadCreations snapshot) => snapshot.Stacks.Select(entry => entry.Stack);

    protected override Profile Build(ThreadCreations snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window) =>
        CountProfile.Build(ThreadCreateProfile.Type, snapshot.Stacks, symbolizer.Symbolize, Names.MainBinary, time, ThreadCreateProfile.Comment, snapshot.WithoutStack());

    protected override string Text(ThreadCreations snapshot, MethodSymbolizer symbolizer, int debug) =>
        GoLegacyText.CountProfile(ThreadCreateProfile.Type, snapshot.Stacks, symbolizer.Locate, [ThreadCreateProfile.Comment], snapshot.WithoutStack());
}
