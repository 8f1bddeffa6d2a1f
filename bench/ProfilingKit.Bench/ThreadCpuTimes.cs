using System.Globalization;

namespace ProfilingKit.Bench;

/// <summary>
/// CPU time per OS thread of a process, read from outside through /proc/PID/task (Linux; empty
/// elsewhere), so a report can say which thread an overhead lands on: the app's (the runtime's stack
/// walk per sample runs inline), the runtime's EventPipe thread, or ProfilingKit's reader. Reading
/// from the driver keeps the file reads, and the JIT work they would cause, out of the measured process.
/// </summary>
internal static class ThreadCpuTimes
{
    // utime and stime in /proc are in USER_HZ ticks, 100 per second on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// CPU seconds so far by OS thread id. The main thread is named "main"; threads the runtime
    /// starts without a name carry the process's name, and are named "unnamed" here. A thread that
    /// has ended is missing, with its CPU time (the runtime's tiering thread ends when idle).
    /// </summary>
    public static IReadOnlyDictionary<int, ThreadCpu> Read(int processId)
    {
        var threads = new Dictionary<int, ThreadCpu>();
        if (!OperatingSystem.IsLinux()) return threads;

        try
        {
            var processName = File.ReadAllText($"/proc/{processId}/comm").TrimEnd('\n');
            foreach (var directory in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                var id = int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture);
                if (TryReadThread(directory, out var name, out var seconds))
                {
                    threads[id] = new ThreadCpu(id == processId ? "main" : name == processName ? "unnamed" : name, seconds);
                }
            }
        }
        catch (IOException)
        {
            // The process ended while we looked.
        }

        return threads;
    }

    /// <summary>CPU seconds spent between two readings, summed by thread name, largest first.</summary>
    public static IReadOnlyDictionary<string, double> SpentByName(IReadOnlyDictionary<int, ThreadCpu> before, IReadOnlyDictionary<int, ThreadCpu> after) =>
        after
            .Select(thread => (thread.Value.Name, Seconds: thread.Value.Seconds - (before.TryGetValue(thread.Key, out var earlier) ? earlier.Seconds : 0)))
            .GroupBy(thread => thread.Name)
            .Select(group => (Name: group.Key, Seconds: Math.Round(group.Sum(thread => thread.Seconds), 2)))
            .Where(thread => thread.Seconds > 0)
            .OrderByDescending(thread => thread.Seconds)
            .ToDictionary(thread => thread.Name, thread => thread.Seconds);

    private static bool TryReadThread(string directory, out string name, out double seconds)
    {
        try
        {
            // "tid (comm) state ppid ...": comm may hold spaces, so split around the last ')'; utime and stime are fields 14 and 15.
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var close = stat.LastIndexOf(')');
            name = stat[(stat.IndexOf('(') + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            return true;
        }
        catch (IOException)
        {
            // The thread ended while we looked.
            name = "";
            seconds = 0;
            return false;
        }
    }
}
