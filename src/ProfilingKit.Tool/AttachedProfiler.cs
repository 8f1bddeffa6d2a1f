using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Http;

namespace ProfilingKit.Tool;

/// <summary>
/// ProfilingKit's own profiler (<see cref="RuntimeProfiler"/>, the one an app with the endpoint runs)
/// attached to another process: the same sessions, samplers, names and profile sources, with the
/// target's diagnostic port instead of the process's own, served by the same <see cref="PprofDispatcher"/>.
/// Disposing it ends every session it opened in the target.
/// </summary>
internal sealed class AttachedProfiler : IDisposable
{
    private static readonly TimeSpan SamplingStartTimeout = TimeSpan.FromSeconds(60);

    private readonly Tool _tool;

    public AttachedProfiler(Tool tool, AttachTarget target)
    {
        _tool = tool;
        Target = target;
        Profiler = new RuntimeProfiler(target.Process, Threads, RuntimeProfiler.StackMemoryBytes(new DebugPprofOptions()), RuntimeProfiler.FollowsLiveHeap(new DebugPprofOptions()));

        // The profiler's log lines (a session that failed, a rundown that timed out) are the tool's to print.
        ProfilingKitLog.SetSink((_, message) => tool.Status.WriteLine("dotnet-pprof: " + message));
    }

    public AttachTarget Target { get; }

    /// <summary>The tool's threads that read the target's sessions.</summary>
    public ProfilerThreads Threads { get; } = new();

    public RuntimeProfiler Profiler { get; }

    /// <summary>
    /// Starts the always-on session in the target (allocation sampling, contention, thread and method
    /// events) and waits until it runs, as the endpoint does in an app at start-up.
    /// </summary>
    /// <exception cref="ToolException">The session did not start; the message says why.</exception>
    public void StartSampling()
    {
        Profiler.StartInBackground();
        if (!Profiler.WaitForSampling(SamplingStartTimeout))
        {
            throw new ToolException($"cannot sample {Target.Description}: {Profiler.Sessions.UnavailableReason ?? "its runtime did not start the session within 60 s"}");
        }
    }

    /// <summary>The endpoint's dispatcher over this profiler: the same paths, limits, errors and token as in an app.</summary>
    public PprofDispatcher Dispatcher(PprofEndpointSettings settings) => PprofDispatcher.For(Profiler, settings);

    public void Dispose()
    {
        Profiler.Dispose();
        Target.Dispose();
        ProfilingKitLog.SetSink(null);
        _tool.Status.Flush();
    }
}
