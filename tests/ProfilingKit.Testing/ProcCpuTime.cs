using System.Globalization;

namespace ProfilingKit.Testing;

/// <summary>
/// The CPU time the OS has charged a process, or one of its threads, so far (utime + stime in
/// /proc/PID/stat and /proc/PID/task/TID/stat), read from outside; null where the OS does not say.
/// CPU time, unlike a rate per wall second, does not fall when the shared machine gets busy.
/// </summary>
public static class ProcCpuTime
{
    public static TimeSpan? OfProcess(int processId) => Read($"/proc/{processId}/stat");

    /// <summary>The thread whose name (as the runtime gives it to the OS, at most 15 characters) is <paramref name="threadName"/>.</summary>
    public static TimeSpan? OfThread(int processId, string threadName)
    {
        var tasks = $"/proc/{processId}/task";
        if (!Directory.Exists(tasks)) return null;

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == threadName) return Read(Path.Combine(task, "stat"));
        }

        return null;
    }

    /// <summary>
    /// The user-space CPU time so far of each of the process's threads named one of
    /// <paramref name="threadNames"/>, by name (utime in /proc/PID/task/TID/stat, in nanoseconds);
    /// empty where the OS does not say. User space only, as a CPU profile of user code samples it:
    /// a thread that sleeps a thousand times a second spends a few percent of its CPU in the kernel.
    /// </summary>
    public static Dictionary<string, long> UserTimeOfThreads(int processId, params string[] threadNames)
    {
        var times = new Dictionary<string, long>();
        var tasks = $"/proc/{processId}/task";
        if (!Directory.Exists(tasks)) return times;

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                if (!threadNames.Contains(name)) continue;

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                times[name] = long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[11], CultureInfo.InvariantCulture) * 10_000_000;
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }

        return times;
    }

    private static TimeSpan? Read(string statPath)
    {
        if (!File.Exists(statPath)) return null;

        // After the ')' that ends the name: state is field 3, utime and stime fields 14 and 15, in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
