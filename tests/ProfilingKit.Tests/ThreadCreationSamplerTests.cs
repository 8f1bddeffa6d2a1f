using ProfilingKit.EventPipe;
using ProfilingKit.Threads;

namespace ProfilingKit.Tests;

/// <summary>How <see cref="ThreadCreationSampler"/> accounts for each live managed thread, from synthetic thread events.</summary>
public class ThreadCreationSamplerTests
{
    private const long Profiler = 99;
    private static readonly EventMetadata Creating = new(1, ClrEvents.RuntimeProvider, ClrEvents.ThreadCreatingEventId, 0);
    private static readonly EventMetadata Running = new(2, ClrEvents.RuntimeProvider, ClrEvents.ThreadRunningEventId, 0);
    private static readonly ulong[] StartStack = { 0x1000, 0x2000 };

    private readonly HashSet<long> _alive = new() { 1, Profiler };
    private readonly ThreadCreationSampler _sampler;

    public ThreadCreationSamplerTests() => _sampler = new ThreadCreationSampler(thread => thread == Profiler, () => _alive);

    [Fact]
    public void A_started_thread_counts_under_its_creation_stack_until_it_ends()
    {
        Start(creator: 1, thread: 10, threadObject: 0xA0);

        var creations = _sampler.Snapshot();
        Assert.Equal(StartStack, Assert.Single(creations.Stacks).Stack);
        Assert.Equal(1, creations.Total);
        Assert.Equal(1, _sampler.CreationOf(10)?.CreatorThreadId);

        _alive.Remove(10);
        Assert.Equal(0, _sampler.Snapshot().Total); // as Go's threadcreate, which walks the live threads
        Assert.Equal(0, _sampler.LiveCount);
    }

    [Fact]
    public void Threads_the_start_up_pass_found_count_once_under_the_pseudo_frame_unless_their_start_event_comes_after()
    {
        _alive.UnionWith(new long[] { 2, 10 });
        Run(thread: 10, threadObject: 0xA0, created: true, creator: 1); // ThreadCreating was in the session, so it is not "before"
        _sampler.RecordRunningAtStart(new long[] { 1, 2, 10 });
        Run(thread: 2, threadObject: 0xB0, created: true, creator: 1); // started during the pass: its events arrive after it

        var creations = _sampler.Snapshot();
        Assert.Equal(1, creations.BeforeSampling); // thread 1 only
        Assert.Equal(2, creations.Stacks.Sum(entry => entry.Count));
        Assert.Equal(3, creations.Total);
        Assert.Equal(3, _sampler.LiveCount);
        Assert.Equal(new[] { (ThreadCreateProfile.BeforeSamplingFrame, 1L) }, creations.WithoutStack());
    }

    [Fact]
    public void Threads_the_profiler_started_count_without_its_stack_and_its_own_threads_not_at_all()
    {
        _alive.UnionWith(new long[] { 20, 21 });
        Start(creator: Profiler, thread: 20, threadObject: 0xC0);
        Run(thread: 21, threadObject: 0xD0, created: false, creator: 0); // its ThreadCreating predates the session
        Run(thread: Profiler, threadObject: 0xE0, created: false, creator: 0);

        var creations = _sampler.Snapshot();
        Assert.Empty(creations.Stacks);
        Assert.Equal(1, creations.ByProfiler);
        Assert.Equal(1, creations.BeforeSampling);
        Assert.Equal(2, _sampler.LiveCount);
        Assert.Null(_sampler.CreationOf(20));
    }

    private void Start(long creator, long thread, ulong threadObject)
    {
        _alive.Add(thread);
        Run(thread, threadObject, created: true, creator);
    }

    private void Run(long thread, ulong threadObject, bool created, long creator)
    {
        var payload = BitConverter.GetBytes(threadObject);
        if (created) _sampler.OnEvent(new TraceEventRecord(Creating, 8, creator, 0, StartStack, payload));
        _sampler.OnEvent(new TraceEventRecord(Running, 8, thread, 0, ReadOnlySpan<ulong>.Empty, payload));
    }
}
