using System.Diagnostics;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>The OS ids of the threads of the profiled process alive now, as EventPipe reports thread ids.</summary>
internal static class LiveOsThreads
{
    /// <summary>The ids, or null where the OS cannot say in EventPipe's terms (neither Linux nor Windows, or no /proc).</summary>
    public static IReadOnlySet<long>? Ids(ProfiledProcess target)
    {
        if (OperatingSystem.IsLinux()) return target.Tasks.ThreadIds();
        if (!OperatingSystem.IsWindows()) return null;

        try
        {
            using var process = Process.GetProcessById(target.ProcessId);
            return process.Threads.Cast<ProcessThread>().Select(thread => (long)thread.Id).ToHashSet();
        }
        catch (ArgumentException)
        {
            return null; // it has exited
        }
    }
}
