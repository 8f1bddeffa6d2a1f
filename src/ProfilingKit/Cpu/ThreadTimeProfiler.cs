using System.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Profiles;

namespace ProfilingKit.Cpu;

/// <summary>
/// The CPU (<c>profile</c>) and wall-clock (<c>wall</c>) profiles: a window of the runtime's stack
/// sampler in a session of its own, each thread's samples held to the CPU time the OS charged it.
/// The caller holds the exclusive slot (<see cref="RuntimeSessions.TryTakeExclusive"/>).
/// </summary>
internal sealed class ThreadTimeProfiler
{
    private readonly RuntimeSessions _sessions;
    private readonly ProfileNames _names;
    private readonly Func<long, bool> _isOwnThread;

    public ThreadTimeProfiler(RuntimeSessions sessions, ProfileNames names, Func<long, bool> isOwnThread)
    {
        _sessions = sessions;
        _names = names;
        _isOwnThread = isOwnThread;
    }

    /// <summary>Samples every managed thread's stack for <paramref name="window"/> (or until <paramref name="cancel"/>).</summary>
    /// <exception cref="ProfilingUnavailableException">The session could not start.</exception>
    public ThreadSamples Collect(TimeSpan window, CancellationToken cancel)
    {
        var collector = new ThreadSampleCollector(_isOwnThread, Stopwatch.Frequency); // the trace is of this process, so its QPC is ours
        using (var session = _sessions.StartSampler(collector, "ProfilingKit thread sampler"))
        {
            var started = Stopwatch.GetTimestamp();
            var cpuBefore = OsThreadCpuTime.Read();
            cancel.WaitHandle.WaitOne(window);
            var cpuSpent = OsThreadCpuTime.Spent(cpuBefore, OsThreadCpuTime.Read());
            session.StopAndDrain(RuntimeSessions.DrainTimeout);
            return collector.Result(Stopwatch.GetElapsedTime(started), cpuSpent);
        }
    }

    /// <summary>The CPU profile of <paramref name="samples"/>; <paramref name="note"/> goes into its comment.</summary>
    public Profile Cpu(ThreadSamples samples, string? note) =>
        _names.Build(StacksOf(samples), symbolizer => ThreadTimeProfile.BuildCpu(samples, symbolizer.Symbolize, _names.MainBinary, DateTimeOffset.UtcNow, note));

    /// <summary>The wall-clock profile of <paramref name="samples"/>.</summary>
    public Profile Wall(ThreadSamples samples, string? note) =>
        _names.Build(StacksOf(samples), symbolizer => ThreadTimeProfile.BuildWall(samples, symbolizer.Symbolize, _names.MainBinary, DateTimeOffset.UtcNow, note));

    private static IEnumerable<ulong[]> StacksOf(ThreadSamples samples) => samples.Samples.Select(sample => sample.Stack);
}
