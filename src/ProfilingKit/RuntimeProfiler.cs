using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Allocations;
using ProfilingKit.Contention;
using ProfilingKit.Cpu;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Heap;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;
using ProfilingKit.Threads;

namespace ProfilingKit;

/// <summary>
/// The process's own profiling: an EventPipe session on itself with allocation sampling and method
/// load events from start-up, short sessions of the runtime's stack sampler on request (CPU and
/// wall-clock profiles, one at a time), and the symbolization that turns what they gather into profiles.
/// </summary>
internal sealed class RuntimeProfiler : IDisposable
{
    private const int SessionBufferMegabytes = 16;
    private const int ThreadSampleBufferMegabytes = 32;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HeapSnapshotTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a stack snapshot samples after the first sample arrives: longer than one pass of the
    /// sampler (1 to 4 ms measured), so the pass that sample began is complete.
    /// </summary>
    private static readonly TimeSpan StackSnapshotWindow = TimeSpan.FromMilliseconds(20);

    private readonly ProfilerThreads _threads;
    private readonly DiagnosticsClient _client = new(Environment.ProcessId);
    private readonly MethodAddressMap _methods = new();
    private readonly SourceLineMap _lines = new();
    private readonly AllocationSampler _allocations;
    private readonly ContentionSampler _contentions;
    private readonly ThreadCreationSampler _threadCreations;
    private readonly MethodSymbolizer _symbolizer;
    private readonly ManualResetEventSlim _started = new();
    private readonly object _profileGate = new();
    private readonly object _heapGate = new();
    private readonly HeapTypeNames _heapTypes = new();
    private SelfTraceSession? _session;
    private string? _unavailableReason;
    private int _exclusiveSessionTaken;

    public RuntimeProfiler(ProfilerThreads threads)
    {
        _threads = threads;
        _allocations = new AllocationSampler(_methods, IsOwnThread, _lines);
        _contentions = new ContentionSampler(IsOwnThread, Stopwatch.Frequency); // the trace is of this process, so its QPC is ours
        _threadCreations = new ThreadCreationSampler(IsOwnThread, LiveOsThreads.Ids);
        _symbolizer = new MethodSymbolizer(_methods, _lines, RunRundown);
    }

    /// <summary>Why profiles cannot be served, or null while they can (or sampling is still starting).</summary>
    public string? UnavailableReason => Volatile.Read(ref _unavailableReason) ?? _session?.ReaderError?.Message;

    /// <summary>Starts sampling on a profiler thread, so the app's start-up is not delayed.</summary>
    public void StartInBackground() => _threads.Start("ProfilingKit start", StartSampling);

    /// <summary>Waits until sampling runs or has failed to start; true if it runs.</summary>
    public bool WaitForSampling(TimeSpan timeout) => _started.Wait(timeout) && _session is not null && UnavailableReason is null;

    /// <summary>The number of distinct allocation stacks sampled so far: the count on the index page.</summary>
    public long AllocationStackCount => _allocations.StackCount;

    /// <summary>The allocs profile: everything sampled since start, or null with the reason in <paramref name="error"/>.</summary>
    public Profile? TryGetAllocationProfile(TimeSpan waitForStart, out string? error)
    {
        if (!IsSampling(waitForStart, out error)) return null;

        lock (_profileGate) return BuildAllocationProfile(_allocations.Snapshot(), DateTimeOffset.UtcNow, AllocationProfile.Comment);
    }

    /// <summary>
    /// The allocations of the next <paramref name="window"/> (or until <paramref name="cancel"/>): two
    /// snapshots and their difference, or null with the reason in <paramref name="error"/>.
    /// </summary>
    public Profile? TryGetAllocationDelta(TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error)
    {
        if (!IsSampling(waitForStart, out error)) return null;

        return Delta(_allocations.Snapshot, (snapshot, time) => BuildAllocationProfile(snapshot, time, AllocationProfile.Comment), window, cancel);
    }

    /// <summary>The number of distinct waiter stacks of contended locks so far (managed locks only for mutex): the counts on the index page.</summary>
    public long ContentionStackCount(bool mutex) => _contentions.SiteCount(managedOnly: mutex);

    /// <summary>
    /// The lock contentions since start, every one the runtime reported for block, those of managed
    /// locks for mutex; or null with the reason in <paramref name="error"/>.
    /// </summary>
    public IReadOnlyList<ContentionSite>? TryGetContentions(bool mutex, TimeSpan waitForStart, out string? error) =>
        IsSampling(waitForStart, out error) ? ContentionsOf(_contentions.Snapshot(), mutex) : null;

    /// <summary>The block or mutex profile of <paramref name="sites"/>.</summary>
    public Profile BuildContentionProfile(IReadOnlyList<ContentionSite> sites, bool mutex)
    {
        lock (_profileGate) return BuildContentionProfile(sites, mutex, DateTimeOffset.UtcNow);
    }

    /// <summary>The managed threads alive now, the profiler's own left out: the goroutine and threadcreate counts on the index page.</summary>
    public long ManagedThreadCount => _threadCreations.LiveCount;

    /// <summary>How each managed thread alive now was started, or null with the reason.</summary>
    public ThreadCreations? TryGetThreadCreations(TimeSpan waitForStart, out string? error) =>
        IsSampling(waitForStart, out error) ? _threadCreations.Snapshot() : null;

    /// <summary>The threadcreate profile of <paramref name="creations"/>.</summary>
    public Profile BuildThreadCreateProfile(ThreadCreations creations)
    {
        lock (_profileGate) return BuildThreadCreateProfile(creations, DateTimeOffset.UtcNow);
    }

    /// <summary>The thread creations of the next <paramref name="window"/> as a threadcreate delta; or null with the reason.</summary>
    public Profile? TryGetThreadCreationDelta(TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error)
    {
        if (!IsSampling(waitForStart, out error)) return null;

        return Delta(_threadCreations.Snapshot, BuildThreadCreateProfile, window, cancel);
    }

    /// <summary>The lock contentions of the next <paramref name="window"/>, as a block or mutex delta; or null with the reason.</summary>
    public Profile? TryGetContentionDelta(bool mutex, TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error)
    {
        if (!IsSampling(waitForStart, out error)) return null;

        return Delta(() => ContentionsOf(_contentions.Snapshot(), mutex), (sites, time) => BuildContentionProfile(sites, mutex, time), window, cancel);
    }

    /// <summary>
    /// The heap profile: a heap snapshot taken now (a blocking gen2 GC) plus the sampled allocations,
    /// or null with the reason in <paramref name="error"/>. One snapshot at a time.
    /// </summary>
    public Profile? TryGetHeapProfile(TimeSpan waitForStart, out string? error) =>
        IsSampling(waitForStart, out error) ? TakeHeapProfile(null, default, out error) : null;

    /// <summary>
    /// The heap profile at the end of the next <paramref name="window"/> (or until
    /// <paramref name="cancel"/>) with only the allocations of the window: alloc_* are end minus
    /// start, inuse_* the snapshot at the end (a difference of live heaps means nothing).
    /// </summary>
    public Profile? TryGetHeapDelta(TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error)
    {
        if (!IsSampling(waitForStart, out error)) return null;

        var start = _allocations.Snapshot();
        var startTime = DateTimeOffset.UtcNow;
        cancel.WaitHandle.WaitOne(window);
        return TakeHeapProfile(start, startTime, out error);
    }

    /// <summary>
    /// Takes the process's one CPU/trace session slot: the runtime's sampler is process-wide, and one
    /// long session at a time keeps the overhead bounded. False when another request holds it.
    /// </summary>
    public bool TryTakeExclusiveSession() => Interlocked.CompareExchange(ref _exclusiveSessionTaken, 1, 0) == 0;

    public void ReleaseExclusiveSession() => Volatile.Write(ref _exclusiveSessionTaken, 0);

    /// <summary>
    /// Samples every managed thread's stack for <paramref name="window"/> (or until
    /// <paramref name="cancel"/>) in an EventPipe session of its own. Call with the exclusive session taken.
    /// </summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public ThreadSamples CollectThreadSamples(TimeSpan window, CancellationToken cancel)
    {
        var collector = new ThreadSampleCollector(IsOwnThread, Stopwatch.Frequency); // the trace is of this process, so its QPC is ours
        using (var session = StartSamplerSession(collector, "ProfilingKit thread sampler"))
        {
            var started = Stopwatch.GetTimestamp();
            var cpuBefore = OsThreadCpuTime.Read();
            cancel.WaitHandle.WaitOne(window);
            var cpuSpent = OsThreadCpuTime.Spent(cpuBefore, OsThreadCpuTime.Read());
            session.StopAndDrain(DrainTimeout);
            return collector.Result(Stopwatch.GetElapsedTime(started), cpuSpent);
        }
    }

    /// <summary>
    /// Every managed thread's stack now, from one pass of the runtime's sampler in a short session
    /// of its own. It needs no exclusive slot: a few milliseconds of sampling, so a goroutine dump
    /// works while a CPU profile runs.
    /// </summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public IReadOnlyList<ThreadStack> CollectThreadStacks(CancellationToken cancel)
    {
        var threads = SampleStacksOnce(cancel)
            .Result(OsThreadNames.Of, OsThreadState.Of)
            .Select(thread => thread with { CreatedBy = _threadCreations.CreationOf(thread.ThreadId) })
            .ToList();
        PrepareNames(threads.Select(thread => thread.Stack).Concat(threads.Where(t => t.CreatedBy is not null).Select(t => t.CreatedBy!.Stack)));
        return threads;
    }

    /// <summary>Names every address of <paramref name="stacks"/> that can be named (a rundown if needed), before <see cref="Locate"/>.</summary>
    public void PrepareNames(IEnumerable<ulong[]> stacks)
    {
        lock (_profileGate) _symbolizer.PrepareFor(stacks);
    }

    /// <summary>A count profile (goroutine) of <paramref name="entries"/>.</summary>
    public Profile BuildCountProfile(string type, IReadOnlyList<(ulong[] Stack, long Count)> entries, string comment)
    {
        lock (_profileGate) return CountProfile.Build(type, entries, _symbolizer, MainBinaryName(), DateTimeOffset.UtcNow, comment, Array.Empty<(string, long)>());
    }

    /// <summary>The managed code at one address, for Go's text formats.</summary>
    public CodeLocation? Locate(ulong address) => _symbolizer.Locate(address);

    /// <summary>
    /// Records a raw <c>.nettrace</c> of the next <paramref name="window"/> (or until
    /// <paramref name="cancel"/>) with the providers of a default trace: the SampleProfiler's CPU
    /// samples and the runtime's GC, contention, loader, JIT, exception and thread events, with a
    /// rundown at the end so PerfView and <c>dotnet-trace convert</c> can name every method.
    /// <paramref name="begin"/> is called once the session runs and returns where the bytes go, as
    /// they come. Call with the exclusive session taken.
    /// </summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start; nothing was written.</exception>
    public void WriteTrace(TimeSpan window, CancellationToken cancel, Func<Stream> begin)
    {
        EventPipeSession session;
        try
        {
            session = _client.StartEventPipeSession(SessionProviders.Trace(), requestRundown: true, ThreadSampleBufferMegabytes);
        }
        catch (Exception e)
        {
            throw new ProfilingUnavailableException(DescribeSessionFailure(e), e);
        }

        using (session)
        {
            var output = begin();
            var copier = _threads.Start("ProfilingKit trace writer", () =>
            {
                try
                {
                    session.EventStream.CopyTo(output);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.HttpListenerException)
                {
                    // The client went away; the session still ends with the window.
                }
            });
            cancel.WaitHandle.WaitOne(window);
            try
            {
                session.Stop();
            }
            catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException)
            {
                // The session already ended; the copy ends with the stream.
            }

            copier.Join(DrainTimeout);
        }
    }

    /// <summary>The CPU profile of thread samples.</summary>
    public Profile BuildCpuProfile(ThreadSamples samples, string? note)
    {
        lock (_profileGate) return ThreadTimeProfile.BuildCpu(samples, _symbolizer, MainBinaryName(), DateTimeOffset.UtcNow, note);
    }

    /// <summary>The wall-clock profile of thread samples.</summary>
    public Profile BuildWallProfile(ThreadSamples samples, string? note)
    {
        lock (_profileGate) return ThreadTimeProfile.BuildWall(samples, _symbolizer, MainBinaryName(), DateTimeOffset.UtcNow, note);
    }

    /// <summary>The managed method whose code holds <paramref name="address"/>, if the runtime has reported it.</summary>
    public string? ResolveMethod(ulong address) => _methods.Resolve(address);

    public void Dispose()
    {
        _started.Wait(TimeSpan.FromSeconds(10));
        _session?.Dispose();
        _lines.Dispose();
    }

    private void StartSampling()
    {
        try
        {
            var handlers = new NetTraceHandlers(_allocations, _contentions, _threadCreations);
            _session = SelfTraceSession.Start(_client, SessionProviders.AlwaysOn(), requestRundown: false, SessionBufferMegabytes, handlers, _threads, "ProfilingKit sampler");
            RecordThreadsRunningAtStart();
        }
        catch (Exception e)
        {
            var reason = IsDiagnosticPortDisabled
                ? "allocation sampling is unavailable: " + DescribeSessionFailure(e)
                : "allocation sampling could not start: " + DescribeSessionFailure(e);
            Volatile.Write(ref _unavailableReason, reason);
            ProfilingKitLog.Error(reason + " The app runs on without allocation profiles.");
        }
        finally
        {
            _started.Set();
        }
    }

    /// <summary>
    /// Two snapshots <paramref name="window"/> apart (or until <paramref name="cancel"/>) and the
    /// difference of their profiles. Both are named in one go, the end first: its stacks include the
    /// start's, so one rundown (if any) names both alike.
    /// </summary>
    private Profile Delta<TSnapshot>(Func<TSnapshot> snapshot, Func<TSnapshot, DateTimeOffset, Profile> build, TimeSpan window, CancellationToken cancel)
    {
        var start = snapshot();
        var startTime = DateTimeOffset.UtcNow;
        cancel.WaitHandle.WaitOne(window);
        var end = snapshot();
        var endTime = DateTimeOffset.UtcNow;

        lock (_profileGate)
        {
            var endProfile = build(end, endTime);
            return ProfileDelta.Compute(build(start, startTime), endProfile);
        }
    }

    private Profile BuildThreadCreateProfile(ThreadCreations creations, DateTimeOffset time) =>
        CountProfile.Build(ThreadCreateProfile.Type, creations.Stacks, _symbolizer, MainBinaryName(), time, ThreadCreateProfile.Comment, creations.WithoutStack());

    /// <summary>
    /// One pass of the runtime's stack sampler over every managed thread, in a short session of its own.
    /// </summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    private ThreadStackCollector SampleStacksOnce(CancellationToken cancel)
    {
        var collector = new ThreadStackCollector(IsOwnThread);
        using (var session = StartSamplerSession(collector, "ProfilingKit stack snapshot"))
        {
            collector.WaitForFirstSample(TimeSpan.FromSeconds(5), cancel);
            cancel.WaitHandle.WaitOne(StackSnapshotWindow);
            session.StopAndDrain(DrainTimeout);
        }

        return collector;
    }

    /// <summary>
    /// Counts the threads that were running before sampling began for threadcreate: their creation
    /// had no event, so only a pass of the stack sampler finds them. Without it they are left out.
    /// </summary>
    private void RecordThreadsRunningAtStart()
    {
        try
        {
            _threadCreations.RecordRunningAtStart(SampleStacksOnce(CancellationToken.None).ThreadIds());
        }
        catch (Exception e)
        {
            ProfilingKitLog.Warn($"threadcreate leaves out the threads started before sampling began: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The heap profile now; with <paramref name="start"/>, less the allocations sampled by then.</summary>
    private Profile? TakeHeapProfile(AllocationSnapshot? start, DateTimeOffset startTime, out string? error)
    {
        lock (_heapGate)
        {
            HeapSnapshot heap;
            try
            {
                heap = HeapSnapshotSession.Take(_client, _threads, _heapTypes, HeapSnapshotTimeout);
            }
            catch (Exception e)
            {
                error = "the heap snapshot could not start: " + DescribeSessionFailure(e);
                return null;
            }

            error = null;
            lock (_profileGate)
            {
                var now = DateTimeOffset.UtcNow;
                var allocations = _allocations.Snapshot();
                var comment = HeapProfile.Comment(heap, start is null ? null : now - startTime);
                _symbolizer.PrepareFor(allocations.Sites.Select(site => site.Stack));
                var end = HeapProfile.Build(heap, allocations, _symbolizer.Symbolize, MainBinaryName(), now, comment);

                // The start is built with the end's comment, so the delta says once what it holds.
                return start is null ? end : ProfileDelta.Compute(BuildAllocationProfile(start, startTime, comment), end);
            }
        }
    }

    /// <summary>The allocs profile of <paramref name="snapshot"/>; call under <see cref="_profileGate"/>.</summary>
    private Profile BuildAllocationProfile(AllocationSnapshot snapshot, DateTimeOffset time, string comment)
    {
        _symbolizer.PrepareFor(snapshot.Sites.Select(site => site.Stack));
        return AllocationProfile.Build(snapshot, _symbolizer.Symbolize, MainBinaryName(), time, comment);
    }

    /// <summary>
    /// ProfilingKit's own threads and the runtime thread that runs the GC trace: their allocations,
    /// contentions and stacks are diagnostics work, not the app's, so profiles leave them out.
    /// </summary>
    private bool IsOwnThread(long osThreadId) => _threads.Contains(osThreadId) || GcTrace.IsTraceThread(osThreadId);

    private Profile BuildContentionProfile(IReadOnlyList<ContentionSite> sites, bool mutex, DateTimeOffset time)
    {
        _symbolizer.PrepareFor(sites.Select(site => site.Stack));
        return ContentionProfile.Build(sites, _symbolizer.Symbolize, MainBinaryName(), time, mutex ? ContentionProfile.MutexComment : ContentionProfile.BlockComment);
    }

    private static IReadOnlyList<ContentionSite> ContentionsOf(IReadOnlyList<ContentionSite> all, bool mutex) =>
        mutex ? all.Where(site => site.Managed).ToList() : all;

    private SelfTraceSession StartSamplerSession(INetTraceHandler handler, string threadName)
    {
        try
        {
            return SelfTraceSession.Start(_client, SessionProviders.ThreadSampler(), requestRundown: false, ThreadSampleBufferMegabytes, handler, _threads, threadName);
        }
        catch (Exception e)
        {
            throw new ProfilingUnavailableException(DescribeSessionFailure(e), e);
        }
    }

    /// <summary>A session whose rundown names the code compiled before sampling began, read into <paramref name="handler"/>.</summary>
    private void RunRundown(INetTraceHandler handler)
    {
        using var session = SelfTraceSession.Start(_client, SessionProviders.Rundown(), requestRundown: true, bufferMegabytes: 64, handler, _threads, "ProfilingKit rundown");
        if (!session.StopAndDrain(DrainTimeout))
        {
            ProfilingKitLog.Warn("the method rundown did not finish within 30 s; some frames may show as [native code].");
        }
    }

    private bool IsSampling(TimeSpan waitForStart, out string? error)
    {
        _started.Wait(waitForStart);
        error = _started.IsSet ? UnavailableReason : "allocation sampling is still starting; try again in a moment";
        return error is null;
    }

    private static bool IsDiagnosticPortDisabled =>
        Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0"
        || Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics_IPC") == "0";

    private static string DescribeSessionFailure(Exception e) =>
        IsDiagnosticPortDisabled
            ? "the runtime's diagnostic port is disabled (DOTNET_EnableDiagnostics=0)."
            : $"{e.GetType().Name}: {e.Message}";

    private static string MainBinaryName() => Assembly.GetEntryAssembly()?.GetName().Name ?? "dotnet";
}
