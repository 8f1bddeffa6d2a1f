using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Serialization;

namespace ProfilingKit.Bench;

/// <summary>What one phase of a workload process measured.</summary>
/// <param name="WallSeconds">Elapsed time of the phase.</param>
/// <param name="CpuSeconds">CPU time of the whole process (all threads: app, GC, runtime, profiler) over the phase.</param>
/// <param name="AllocatedBytes">GC.GetTotalAllocatedBytes over the phase (all threads).</param>
/// <param name="ThreadCpuSeconds">
/// CPU time over the phase by thread name (Linux only), to see where a cost goes. Empty as the
/// workload prints it: the driver fills it in from /proc at the phase boundaries the workload announces.
/// </param>
/// <param name="JitMethods">Methods the JIT compiled during the phase (all tiers), to tell one-off start-up costs from steady state.</param>
/// <param name="JitSeconds">Time the JIT spent compiling during the phase.</param>
internal sealed record WorkPhase(
    int Calls,
    double WallSeconds,
    double CpuSeconds,
    long AllocatedBytes,
    IReadOnlyDictionary<string, double> ThreadCpuSeconds,
    long JitMethods,
    double JitSeconds)
{
    /// <summary>Allocation rate in MB/s (MB = 10^6 bytes).</summary>
    [JsonIgnore]
    public double MegabytesPerSecond => AllocatedBytes / 1e6 / WallSeconds;

    /// <summary>
    /// Runs the workload function until <paramref name="isDone"/> (checked before each call) and
    /// measures it with cheap counters only: reading them costs no I/O and compiles nothing new.
    /// </summary>
    public static WorkPhase Measure(AllocationRate rate, Func<int, TimeSpan, bool> isDone)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var jitMethodsBefore = JitInfo.GetCompiledMethodCount();
        var jitTimeBefore = JitInfo.GetCompilationTime();
        var wall = Stopwatch.StartNew();

        var calls = 0;
        while (!isDone(calls, wall.Elapsed))
        {
            StringBuildingWorkload.MemoryIntensiveFunc(rate.ArithmeticPerConcatenation);
            calls++;
        }

        wall.Stop();
        var jitMethods = JitInfo.GetCompiledMethodCount() - jitMethodsBefore;
        var jitTime = JitInfo.GetCompilationTime() - jitTimeBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        return new WorkPhase(calls, wall.Elapsed.TotalSeconds, cpu.TotalSeconds, allocated, new Dictionary<string, double>(), jitMethods, jitTime.TotalSeconds);
    }
}
