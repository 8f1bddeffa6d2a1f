using System.Globalization;

namespace ProfilingKit.Threads;

/// <summary>Linux's /proc/self/task/&lt;id&gt;/: what the kernel says about each thread of this process.</summary>
internal static class ProcSelfTask
{
    /// <summary>The text of <paramref name="file"/> (such as <c>comm</c> or <c>stat</c>) of a thread; null where the OS has no /proc or the thread has ended.</summary>
    public static string? Read(long osThreadId, string file)
    {
        if (!OperatingSystem.IsLinux()) return null;

        try
        {
            return File.ReadAllText($"/proc/self/task/{osThreadId.ToString(CultureInfo.InvariantCulture)}/{file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The OS ids of the threads of this process, the names of the folders in /proc/self/task; null where /proc cannot be read.</summary>
    public static IReadOnlySet<long>? ThreadIds()
    {
        try
        {
            var ids = new HashSet<long>();
            foreach (var directory in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (long.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            }

            return ids;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no /proc (a locked-down container): no thread is known to end
        }
    }
}
