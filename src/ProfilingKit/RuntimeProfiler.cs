using System.Diagnostics;
using ProfilingKit.Allocations;
using ProfilingKit.Contention;
using ProfilingKit.Cpu;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Labels;
using ProfilingKit.Profiles;
using ProfilingKit.Symbols;
using ProfilingKit.Threads;

namespace ProfilingKit;

/// <summary>
/// The profiling of one process, put together: the sessions on it (<see cref="RuntimeSessions"/>),
/// the samplers the always-on session feeds, the names of its code (<see cref="ProfileNames"/>), and
/// one source per Go profile, which the endpoint serves through its dispatcher. The process is this
/// one (the endpoint in an app) or another attached from outside (<c>dotnet pprof collect</c>/<c>serve</c>):
/// the same code with a different <see cref="ProfiledProcess"/>.
/// </summary>
internal sealed class RuntimeProfiler : IDisposable
{
    private readonly SourceLineMap _lines = new();
    private readonly LabelSets _labels = new();
    private readonly AllocationSampler _allocations;
    private readonly ContentionSampler _contentions;
    private readonly ThreadCreationSampler _threadCreations;
    private readonly ThreadStackSampler _stacks;

    public const string StackMemoryVariable = "PROFILINGKIT_PPROF_STACK_MEMORY_MB";

    /// <summary>The environment variable that says whether the sampled objects are followed through GCs (<see cref="DebugPprofOptions.FollowLiveHeap"/>).</summary>
    public const string LiveHeapVariable = "PROFILINGKIT_PPROF_LIVE_HEAP";

    private readonly LiveObjectTracker? _live;

    /// <summary>
    /// The profiler of <paramref name="target"/>, whose always-on profiles keep their stacks within
    /// <paramref name="stackMemoryBytes"/> each (<see cref="StackMemoryBytes"/>), and which follows the
    /// sampled objects through GCs for the live heap by allocation stack when <paramref name="followLiveHeap"/> (<see cref="FollowsLiveHeap"/>).
    /// </summary>
    public RuntimeProfiler(ProfiledProcess target, ProfilerThreads threads, long stackMemoryBytes = AllocationSampler.DefaultBudgetBytes, bool followLiveHeap = false)
    {
        Sessions = new RuntimeSessions(threads, target);
        var methods = new MethodAddressMap();
        _live = followLiveHeap ? new LiveObjectTracker(Stopwatch.Frequency) : null; // the trace is of a process of this machine, so its QPC is ours
        _allocations = new AllocationSampler(methods, IsOwnThread, _lines, stackMemoryBytes, _labels, _live);
        _contentions = new ContentionSampler(IsOwnThread, Stopwatch.Frequency, stackMemoryBytes, methods, _labels); // the trace is of a process of this machine, so its QPC is ours; the allocation sampler feeds the methods
        _threadCreations = new ThreadCreationSampler(IsOwnThread, () => LiveOsThreads.Ids(target));
        _stacks = new ThreadStackSampler(Sessions, IsOwnThread, _threadCreations);
        Names = new ProfileNames(new MethodSymbolizer(methods, _lines, Sessions.Rundown), target.MainBinary);

        Sources =
        [
            new AllocsProfileSource(_allocations, Sessions, Names),
            ContentionProfileSource.Block(_contentions, Sessions, Names),
            new GoroutineProfileSource(_stacks, _threadCreations, Names),
            new HeapProfileSource(_allocations, Sessions, Names),
            ContentionProfileSource.Mutex(_contentions, Sessions, Names),
            new ThreadCreateProfileSource(_threadCreations, Sessions, Names),
        ];
        ThreadTime = new ThreadTimeProfiler(Sessions, Names, IsOwnThread, target.IsSelf ? _labels : null); // the label timeline is this process's
    }

    public RuntimeSessions Sessions { get; }

    /// <summary><see cref="DebugPprofOptions.StackMemoryMegabytes"/>, unless <see cref="StackMemoryVariable"/> says otherwise, in bytes.</summary>
    public static long StackMemoryBytes(DebugPprofOptions options) =>
        (long)SettingValues.WholeNumber(
            StackMemoryVariable, nameof(DebugPprofOptions.StackMemoryMegabytes), options.StackMemoryMegabytes, DebugPprofOptions.DefaultStackMemoryMegabytes, 1, 4096, "a whole number of megabytes from 1 to 4096", unit: "MB") << 20;

    /// <summary><see cref="DebugPprofOptions.FollowLiveHeap"/>, unless <see cref="LiveHeapVariable"/> says otherwise.</summary>
    public static bool FollowsLiveHeap(DebugPprofOptions options) => SettingValues.Flag(LiveHeapVariable, options.FollowLiveHeap);

    public ProfileNames Names { get; }

    /// <summary>The named profiles: allocs, block, goroutine, heap, mutex, threadcreate.</summary>
    public IReadOnlyList<ProfileSource> Sources { get; }

    /// <summary>The CPU and wall-clock profiles.</summary>
    public ThreadTimeProfiler ThreadTime { get; }

    /// <summary>Starts sampling on a profiler thread, so the app's start-up is not delayed.</summary>
    public void StartInBackground() => Sessions.Threads.Start("ProfilingKit start", () =>
    {
        if (_live is not null) Sessions.StartLiveHeap(_live); // first: the samples it follows must not precede the GCs it sees
        Sessions.StartAlwaysOn(new NetTraceHandlers(_labels, _allocations, _contentions, _threadCreations));
        if (Sessions.UnavailableReason is null) RecordThreadsRunningAtStart();
    });

    /// <summary>Waits until sampling runs or has failed to start; true if it runs.</summary>
    public bool WaitForSampling(TimeSpan timeout) => Sessions.WaitForSampling(timeout);

    public void Dispose()
    {
        Sessions.Dispose();
        _lines.Dispose();
    }

    /// <summary>
    /// Counts the threads that were running before sampling began for threadcreate: their creation
    /// had no event, so only a pass of the stack sampler finds them. Without it they are left out.
    /// </summary>
    private void RecordThreadsRunningAtStart()
    {
        try
        {
            _threadCreations.RecordRunningAtStart(_stacks.ThreadIdsNow());
        }
        catch (Exception e)
        {
            ProfilingKitLog.Warn($"threadcreate leaves out the threads started before sampling began: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// ProfilingKit's own threads and the runtime thread that runs the GC trace: their allocations,
    /// contentions and stacks are diagnostics work, not the app's, so profiles leave them out. An
    /// attached process has none of them: ProfilingKit runs in the tool's process.
    /// </summary>
    private bool IsOwnThread(long osThreadId) => Sessions.Target.IsSelf && (Sessions.Threads.Contains(osThreadId) || GcTrace.IsTraceThread(osThreadId));
}
