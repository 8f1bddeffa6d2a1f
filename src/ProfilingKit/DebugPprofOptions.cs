namespace ProfilingKit;

/// <summary>
/// Settings of the <c>/debug/pprof/</c> endpoint for <see cref="DebugPprof.Start(DebugPprofOptions)"/>.
/// Each has an environment variable, read at start-up, that wins over the value set here, so that
/// whoever runs the app can tighten or open it without a rebuild.
/// </summary>
public sealed class DebugPprofOptions
{
    /// <summary>The default of <see cref="MaxProfileSeconds"/>.</summary>
    public const int DefaultMaxProfileSeconds = 300;

    /// <summary>The default of <see cref="StackMemoryMegabytes"/>.</summary>
    public const int DefaultStackMemoryMegabytes = 8;

    /// <summary>The default of <see cref="CpuSamplingPercent"/>.</summary>
    public const int DefaultCpuSamplingPercent = 10;

    /// <summary>
    /// <c>host:port</c>; <see cref="PprofAddress.Default"/> (loopback) when null.
    /// Environment: <c>PROFILINGKIT_PPROF_ADDRESS</c> (<c>off</c> disables the endpoint).
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// The longest window a request may ask for with <c>seconds=N</c> (CPU and wall-clock profiles,
    /// deltas); longer requests are cut to it. Go has no such limit. Environment: <c>PROFILINGKIT_PPROF_MAX_SECONDS</c>.
    /// </summary>
    public int MaxProfileSeconds { get; set; } = DefaultMaxProfileSeconds;

    /// <summary>
    /// When set, every request must carry it, as <c>Authorization: Bearer &lt;token&gt;</c> or as the
    /// password of HTTP basic authentication (what <c>go tool pprof http://pprof:TOKEN@host/...</c> sends).
    /// Environment: <c>PROFILINGKIT_PPROF_TOKEN</c>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Serves <c>/debug/pprof/cmdline</c>, the process's command line, which can hold secrets; off by
    /// default. Environment: <c>PROFILINGKIT_PPROF_CMDLINE=1</c>.
    /// </summary>
    public bool ExposeCommandLine { get; set; }

    /// <summary>
    /// Whether <see cref="DebugPprof.Start(DebugPprofOptions)"/> also starts the standalone listener at
    /// <see cref="Address"/>; true by default. An ASP.NET Core app that serves the profiles on its own
    /// port with <c>app.MapDebugPprof()</c> can turn it off (MSBuild: <c>DebugPprofListener=false</c>):
    /// sampling still starts at start-up. Environment: <c>PROFILINGKIT_PPROF_LISTEN</c> (<c>0</c> or <c>false</c>, <c>1</c> or <c>true</c>).
    /// </summary>
    public bool Listen { get; set; } = true;

    /// <summary>
    /// How much of a long CPU or wall-clock window (over 10 s, as continuous profilers ask for) the
    /// runtime's sampler runs, in percent: a slice at the start of every second, whose samples are
    /// scaled into estimates for the whole window. 100 samples throughout. Shorter windows are always
    /// sampled throughout. Environment: <c>PROFILINGKIT_PPROF_CPU_SAMPLING</c>.
    /// </summary>
    public int CpuSamplingPercent { get; set; } = DefaultCpuSamplingPercent;

    /// <summary>
    /// The memory, in MB, that each always-on profile (allocs and heap's allocation columns; block and
    /// mutex) may use for its stacks, whatever the uptime. Past it, the stacks that carried the least
    /// are merged into one <c>[other stacks]</c> stack, so totals stay exact, and the profile's comment
    /// says how many. Environment: <c>PROFILINGKIT_PPROF_STACK_MEMORY_MB</c>.
    /// </summary>
    public int StackMemoryMegabytes { get; set; } = DefaultStackMemoryMegabytes;

    /// <summary>
    /// Follows the sampled allocations through every GC (the runtime's GC survival and movement events),
    /// so that <c>heap</c>'s and <c>allocs</c>' inuse_* are the live heap by allocation stack as of the
    /// last GC, as in Go, with no pause of its own; <c>heap?by=type</c> still takes the snapshot by type.
    /// Off by default: it costs the GC the listing of what it keeps (docs/benchmarks/live-heap.md), and
    /// <c>heap</c> is then the snapshot by type. Environment: <c>PROFILINGKIT_PPROF_LIVE_HEAP</c> (<c>1</c> or <c>true</c>, <c>0</c> or <c>false</c>).
    /// </summary>
    public bool FollowLiveHeap { get; set; }
}
