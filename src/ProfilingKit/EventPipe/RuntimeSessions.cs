using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;
using ProfilingKit.Heap;

namespace ProfilingKit.EventPipe;

/// <summary>
/// The EventPipe sessions ProfilingKit opens on the profiled process (its own, or one attached from
/// outside: <see cref="ProfiledProcess"/>), in one place: the diagnostics client, the always-on session that samples from start-up, the one trace slot, and the short sessions (stack sampler, rundown, heap
/// snapshot, trace) that profiles ask for. Providers come from <see cref="SessionProviders"/>.
/// </summary>
internal sealed class RuntimeSessions : IDisposable
{
    private const int AlwaysOnBufferMegabytes = 16;
    private const int SamplerBufferMegabytes = 32;
    private const int LiveHeapBufferMegabytes = 128;
    private const int RundownBufferMegabytes = 64;

    /// <summary>How long a session's reader may take to see the end of its stream once the session is stopped.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a profile request waits for sampling that is still starting.</summary>
    public static readonly TimeSpan SamplingStartWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan HeapSnapshotTimeout = TimeSpan.FromSeconds(60);

    private readonly DiagnosticsClient _client;
    private readonly ManualResetEventSlim _started = new();
    private readonly object _heapGate = new();
    private SelfTraceSession? _alwaysOn;
    private SelfTraceSession? _liveHeap;
    private string? _unavailableReason;
    private int _traceSlotTaken;

    public RuntimeSessions(ProfilerThreads threads, ProfiledProcess target)
    {
        Threads = threads;
        Target = target;
        _client = target.Client;
    }

    /// <summary>The process the sessions are opened on.</summary>
    public ProfiledProcess Target { get; }

    /// <summary>The threads sessions are read on, which profiles leave out.</summary>
    public ProfilerThreads Threads { get; }

    /// <summary>Why profiles of the always-on session cannot be served, or null while they can (or it is still starting).</summary>
    public string? UnavailableReason => Volatile.Read(ref _unavailableReason) ?? _alwaysOn?.ReaderError?.Message;

    /// <summary>
    /// Starts the always-on session, read into <paramref name="handler"/>; on failure says why in one
    /// line and remembers it (<see cref="UnavailableReason"/>). Never throws.
    /// </summary>
    public void StartAlwaysOn(INetTraceHandler handler)
    {
        try
        {
            _alwaysOn = SelfTraceSession.Start(_client, SessionProviders.AlwaysOn(), requestRundown: false, AlwaysOnBufferMegabytes, handler, Threads, "ProfilingKit sampler");
        }
        catch (Exception e)
        {
            var reason = Target.IsDiagnosticPortDisabled
                ? "allocation sampling is unavailable: " + DescribeFailure(e)
                : "allocation sampling could not start: " + DescribeFailure(e);
            Volatile.Write(ref _unavailableReason, reason);
            ProfilingKitLog.Error(reason + " The app runs on without allocation profiles.");
        }
        finally
        {
            _started.Set();
        }
    }

    /// <summary>
    /// Starts the session of GC events that follows the sampled objects (<see cref="SessionProviders.LiveHeap"/>),
    /// read into <paramref name="handler"/>; on failure logs why, and inuse_* then stay empty. Never throws.
    /// </summary>
    public void StartLiveHeap(INetTraceHandler handler)
    {
        try
        {
            _liveHeap = SelfTraceSession.Start(_client, SessionProviders.LiveHeap(), requestRundown: false, LiveHeapBufferMegabytes, handler, Threads, "ProfilingKit live heap");
        }
        catch (Exception e)
        {
            ProfilingKitLog.Error("the live heap cannot be followed: " + DescribeFailure(e) + " heap?by=type still takes snapshots.");
        }
    }

    /// <summary>Waits until the always-on session runs or has failed to start; true if it runs.</summary>
    public bool WaitForSampling(TimeSpan timeout) => _started.Wait(timeout) && _alwaysOn is not null && UnavailableReason is null;

    /// <summary>Waits up to <see cref="SamplingStartWait"/> for the always-on session; throws the reason it cannot serve.</summary>
    /// <exception cref="ProfilingUnavailableException">The session failed, or is still starting after the wait.</exception>
    public void EnsureSampling()
    {
        _started.Wait(SamplingStartWait);
        var reason = _started.IsSet ? UnavailableReason : "allocation sampling is still starting; try again in a moment";
        if (reason is not null) throw new ProfilingUnavailableException(reason);
    }

    /// <summary>
    /// Takes the process's one trace slot: a trace is the runtime's busiest session (every GC, JIT,
    /// contention and thread event, the sampler, a rundown), one at a time as in Go. Null when another
    /// request holds it; dispose to give it back.
    /// </summary>
    public IDisposable? TryTakeTraceSlot() =>
        Interlocked.CompareExchange(ref _traceSlotTaken, 1, 0) == 0 ? new TraceSlot(this) : null;

    /// <summary>A session of the runtime's stack sampler, read into <paramref name="handler"/> on a thread named <paramref name="threadName"/>.</summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public SelfTraceSession StartSampler(INetTraceHandler handler, string threadName) =>
        Start(SessionProviders.ThreadSampler(), requestRundown: false, SamplerBufferMegabytes, handler, threadName);

    /// <summary>Runs a rundown (a session that asks for one and stops at once) and reads it into <paramref name="handler"/>.</summary>
    public void Rundown(INetTraceHandler handler)
    {
        using var session = Start(SessionProviders.Rundown(), requestRundown: true, RundownBufferMegabytes, handler, "ProfilingKit rundown");
        if (!session.StopAndDrain(DrainTimeout))
        {
            ProfilingKitLog.Warn("the method rundown did not finish within 30 s; some frames may show as [native code].");
        }
    }

    /// <summary>A heap snapshot now (a blocking gen2 GC that lists every live object); one at a time.</summary>
    /// <exception cref="ProfilingUnavailableException">The snapshot's session could not start.</exception>
    public HeapSnapshot TakeHeapSnapshot(HeapTypeNames names)
    {
        lock (_heapGate)
        {
            try
            {
                return HeapSnapshotSession.Take(_client, Threads, names, HeapSnapshotTimeout);
            }
            catch (Exception e)
            {
                throw new ProfilingUnavailableException("the heap snapshot could not start: " + DescribeFailure(e), e);
            }
        }
    }

    /// <summary>A raw trace session (<see cref="SessionProviders.Trace"/>) with a rundown at its end, for its caller to copy and stop.</summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public EventPipeSession StartTrace()
    {
        try
        {
            return _client.StartEventPipeSession(SessionProviders.Trace(), requestRundown: true, SamplerBufferMegabytes);
        }
        catch (Exception e)
        {
            throw new ProfilingUnavailableException(DescribeFailure(e), e);
        }
    }

    public void Dispose()
    {
        _started.Wait(TimeSpan.FromSeconds(10));
        _alwaysOn?.Dispose();
        _liveHeap?.Dispose();
    }

    private SelfTraceSession Start(IReadOnlyCollection<EventPipeProvider> providers, bool requestRundown, int bufferMegabytes, INetTraceHandler handler, string threadName)
    {
        try
        {
            return SelfTraceSession.Start(_client, providers, requestRundown, bufferMegabytes, handler, Threads, threadName);
        }
        catch (Exception e)
        {
            throw new ProfilingUnavailableException(DescribeFailure(e), e);
        }
    }

    /// <summary>
    /// What a client is told: the kind of failure, never its message, which may name the process id
    /// or the diagnostic port's path; the message goes to the app's own log.
    /// </summary>
    /// <summary>Throws where no session can start at all, so nothing can name the code a profile's samples are in.</summary>
    /// <exception cref="ProfilingUnavailableException">The runtime's diagnostic port is disabled.</exception>
    public void EnsureDiagnosticPort()
    {
        if (Target.IsDiagnosticPortDisabled) throw new ProfilingUnavailableException(DiagnosticPortDisabled);
    }

    private const string DiagnosticPortDisabled = "the runtime's diagnostic port is disabled (DOTNET_EnableDiagnostics=0).";

    private string DescribeFailure(Exception e)
    {
        if (Target.IsDiagnosticPortDisabled) return DiagnosticPortDisabled;

        ProfilingKitLog.WarnRepeating("diagnostics-session", $"a diagnostics session could not start: {e.GetType().Name}: {e.Message}");
        return $"the runtime's diagnostics session could not start ({e.GetType().Name}); the app's log has the details.";
    }

    private sealed class TraceSlot(RuntimeSessions sessions) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Volatile.Write(ref sessions._traceSlotTaken, 0);
        }
    }
}
