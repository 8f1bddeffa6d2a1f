using System.Globalization;

using ProfilingKit.Threads;

namespace ProfilingKit.Cpu;

/// <summary>
/// The CPU time the OS has charged to each thread of the profiled process (Linux, from its /proc task folder;
/// null elsewhere). The CPU profile uses it as the truth per thread: on .NET 10 the sampler reports
/// idle thread-pool workers parked in LowLevelLifoSemaphore.Wait as running managed code in every
/// pass (measured: two idle workers "on CPU" for the whole window, 0 ticks of CPU time in /proc).
/// </summary>
internal static class OsThreadCpuTime
{
    // utime and stime in /proc are in USER_HZ ticks, 100 per second on Linux.
    private const long NanosPerTick = 10_000_000;

    /// <summary>CPU nanoseconds so far by OS thread id, or null where the OS does not say.</summary>
    public static Dictionary<long, long>? Read(ProcTask tasks)
    {
        if (!OperatingSystem.IsLinux()) return null;

        var threads = new Dictionary<long, long>();
        try
        {
            foreach (var (id, directory) in tasks.Threads())
            {
                if (TryReadTicks(Path.Combine(directory, "stat"), out var ticks)) threads[id] = ticks * NanosPerTick;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return threads;
    }

    /// <summary>The CPU nanoseconds each thread spent between two readings; threads that started in between count from zero.</summary>
    public static Dictionary<long, long>? Spent(Dictionary<long, long>? before, Dictionary<long, long>? after)
    {
        if (before is null || after is null) return null;

        return after.ToDictionary(thread => thread.Key, thread => thread.Value - before.GetValueOrDefault(thread.Key));
    }

    private static bool TryReadTicks(string statPath, out long ticks)
    {
        ticks = 0;
        try
        {
            // "tid (comm) state ppid ...": comm may hold spaces, so split after the last ')'; utime and stime are fields 14 and 15.
            var stat = File.ReadAllText(statPath);
            var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return false; // the thread ended while we looked
        }
    }
}
