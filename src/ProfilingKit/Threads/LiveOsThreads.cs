using System.Diagnostics;

namespace ProfilingKit.Threads;

/// <summary>The OS ids of the threads of this process alive now, as EventPipe reports thread ids.</summary>
internal static class LiveOsThreads
{
    /// <summary>The ids, or null where the OS cannot say in EventPipe's terms (neither Linux nor Windows, or no /proc).</summary>
    public static IReadOnlySet<long>? Ids()
    {
        if (OperatingSystem.IsLinux()) return ProcSelfTask.ThreadIds();
        if (!OperatingSystem.IsWindows()) return null;

        using var process = Process.GetCurrentProcess();
        return process.Threads.Cast<ProcessThread>().Select(thread => (long)thread.Id).ToHashSet();
    }
}
