using System.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Labels;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Profiles;

namespace ProfilingKit.Cpu;

/// <summary>
/// The CPU (<c>profile</c>) and wall-clock (<c>wall</c>) profiles: a window of the runtime's stack
/// sampler in sessions of its own, each thread's samples held to the CPU time the OS charged it.
/// </summary>
/// <remarks>
/// The runtime's sampler suspends the runtime about every millisecond, which costs a busy app about
/// a fifth of its throughput while it runs (docs/benchmarks/cpu-profile.md); .NET 10 has no setting
/// for its rate. A scraper that asks for a 14 s profile every 15 s (Grafana Alloy, the OpenTelemetry
/// collector) would keep it on almost all the time. So a window longer than <see cref="ContinuousWindow"/>
/// is sampled in slices: <see cref="SliceLength"/> of every <see cref="SlicePeriod"/> by default, each
/// slice's samples weighted into an estimate for its whole period, which gives about Go's 100 samples
/// per second per busy thread. Shorter windows, as a person asks for them, are sampled throughout.
/// </remarks>
internal sealed class ThreadTimeProfiler
{
    /// <summary>Windows up to this long are sampled throughout.</summary>
    public static readonly TimeSpan ContinuousWindow = TimeSpan.FromSeconds(10);

    /// <summary>Longer windows take one slice per period.</summary>
    public static readonly TimeSpan SlicePeriod = TimeSpan.FromSeconds(1);

    /// <summary>The default slice: 10% of each period.</summary>
    public static readonly TimeSpan SliceLength = TimeSpan.FromMilliseconds(100);

    /// <summary>CPU and wall-clock windows that may run at once in the process, whichever host asked: the sampler is shared, each window's sessions are not.</summary>
    public const int MaxConcurrentWindows = 2;

    private readonly SemaphoreSlim _windows = new(MaxConcurrentWindows, MaxConcurrentWindows);
    private readonly RuntimeSessions _sessions;
    private readonly ProfileNames _names;
    private readonly Func<long, bool> _isOwnThread;
    private readonly LabelSets? _labels;

    /// <summary>
    /// The profiles of the process <paramref name="sessions"/> trace, named by <paramref name="names"/>, without the threads <paramref name="isOwnThread"/> picks.
    /// With <paramref name="labels"/> (what the label sets stand for, in a profiled process that is this one, whose <see cref="LabelTimeline"/>
    /// says which thread ran under which set when) samples carry the labels their thread ran under.
    /// </summary>
    public ThreadTimeProfiler(RuntimeSessions sessions, ProfileNames names, Func<long, bool> isOwnThread, LabelSets? labels = null)
    {
        _sessions = sessions;
        _names = names;
        _isOwnThread = isOwnThread;
        _labels = labels;
        if (labels is not null) LabelTimeline.Instance.Enable(); // its samples will ask which set a thread ran under
    }

    /// <summary>
    /// Samples every managed thread's stack for <paramref name="window"/> (or until <paramref name="cancel"/>),
    /// throughout or, for a long window, in slices of <paramref name="slice"/> per <see cref="SlicePeriod"/>
    /// (<see cref="SlicePeriod"/> or more: throughout).
    /// </summary>
    /// <returns>The samples, or null when <see cref="MaxConcurrentWindows"/> windows are running already.</returns>
    /// <exception cref="ProfilingUnavailableException">A session could not start.</exception>
    public ThreadSamples? TryCollect(TimeSpan window, TimeSpan slice, CancellationToken cancel)
    {
        if (!_windows.Wait(0)) return null;

        try
        {
            return Collect(window, slice, cancel);
        }
        finally
        {
            _windows.Release();
        }
    }

    /// <summary>
    /// Samples CPU time for <paramref name="window"/>: by the kernel's CPU sampler where it is allowed
    /// (throughout: it costs little), else as <see cref="TryCollect"/> does with the runtime's sampler.
    /// </summary>
    /// <inheritdoc cref="TryCollect"/>
    public ThreadSamples? TryCollectCpu(TimeSpan window, TimeSpan slice, CancellationToken cancel)
    {
        if (!_windows.Wait(0)) return null;

        try
        {
            // The kernel's samples are named from the runtime's method events: without its sessions there are no names.
            _sessions.EnsureDiagnosticPort();

            string? whyNot = SamplerVariable + "=runtime asked for it";
            using var kernel = UseRuntimeSampler() ? null : KernelCpuSampler.TryStart(_sessions.Target.Tasks, _isOwnThread, out whyNot, LabelTimeline.Instance, _labels);
            if (kernel is null)
            {
                KernelSamplerRefusal = whyNot;
                return Collect(window, slice, cancel);
            }

            var started = Stopwatch.GetTimestamp();
            kernel.Run(window, cancel);
            return kernel.Result(Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _windows.Release();
        }
    }

    /// <summary>The environment variable that, set to <c>runtime</c>, makes CPU profiles use the runtime's sampler even where the kernel's is allowed.</summary>
    public const string SamplerVariable = "PROFILINGKIT_CPU_SAMPLER";

    private static bool UseRuntimeSampler() => string.Equals(Environment.GetEnvironmentVariable(SamplerVariable), "runtime", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the last CPU window fell back to the runtime's sampler, or null.</summary>
    public string? KernelSamplerRefusal { get; private set; }

    private ThreadSamples Collect(TimeSpan window, TimeSpan slice, CancellationToken cancel)
    {
        var collector = new ThreadSampleCollector(_isOwnThread, Stopwatch.Frequency, LabelTimeline.Instance, _labels); // the trace is of a process of this machine, so its QPC is ours
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = OsThreadCpuTime.Read(_sessions.Target.Tasks);
        var sliced = window > ContinuousWindow && slice < SlicePeriod;
        if (sliced)
        {
            // One slice at the start of each period, weighted to stand for the whole period.
            for (var period = 0; !cancel.IsCancellationRequested && SlicePeriod * period < window; period++)
            {
                var wait = SlicePeriod * period - Stopwatch.GetElapsedTime(started);
                if (wait > TimeSpan.Zero && cancel.WaitHandle.WaitOne(wait)) break;

                collector.StartSlice(SlicePeriod / slice);
                Sample(collector, slice, cancel);
            }

            var remaining = window - Stopwatch.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero) cancel.WaitHandle.WaitOne(remaining); // the window's last period
        }
        else
        {
            Sample(collector, window, cancel);
        }

        var cpuSpent = OsThreadCpuTime.Spent(cpuBefore, OsThreadCpuTime.Read(_sessions.Target.Tasks));
        return collector.Result(Stopwatch.GetElapsedTime(started), cpuSpent, sliced ? slice / SlicePeriod : 1);
    }

    /// <summary>The CPU profile of <paramref name="samples"/>; <paramref name="note"/> goes into its comment.</summary>
    public Profile Cpu(ThreadSamples samples, string? note)
    {
        if (samples.Sampler == CpuSampler.Runtime && KernelSamplerRefusal is { } refusal)
        {
            note = "ProfilingKit: the kernel's CPU sampler was not available, so the runtime's sampler was used: " + refusal + "." + (note is null ? string.Empty : " " + note);
        }

        return _names.Build(StacksOf(samples), symbolizer => ThreadTimeProfile.BuildCpu(samples, symbolizer.Symbolize, _names.MainBinary, DateTimeOffset.UtcNow, note));
    }

    /// <summary>The wall-clock profile of <paramref name="samples"/>.</summary>
    public Profile Wall(ThreadSamples samples, string? note) =>
        _names.Build(StacksOf(samples), symbolizer => ThreadTimeProfile.BuildWall(samples, symbolizer.Symbolize, _names.MainBinary, DateTimeOffset.UtcNow, note));

    private void Sample(ThreadSampleCollector collector, TimeSpan length, CancellationToken cancel)
    {
        using var session = _sessions.StartSampler(collector, "ProfilingKit thread sampler");
        cancel.WaitHandle.WaitOne(length);
        session.StopAndDrain(RuntimeSessions.DrainTimeout);
    }

    private static IEnumerable<ulong[]> StacksOf(ThreadSamples samples) => samples.Samples.Select(sample => sample.Stack);
}
