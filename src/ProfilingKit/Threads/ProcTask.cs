using System.Globalization;

namespace ProfilingKit.Threads;

/// <summary>
/// Linux's /proc/&lt;process&gt;/task/&lt;id&gt;/: what the kernel says about each thread of the
/// profiled process (<c>/proc/self</c> for this one, <c>/proc/PID</c> for one attached from outside).
/// </summary>
internal sealed class ProcTask
{
    private readonly string _tasks;

    /// <param name="processDirectory"><c>/proc/self</c> or <c>/proc/PID</c>.</param>
    public ProcTask(string processDirectory) => _tasks = processDirectory + "/task";

    /// <summary>The text of <paramref name="file"/> (such as <c>comm</c> or <c>stat</c>) of a thread; null where the OS has no /proc or the thread has ended.</summary>
    public string? Read(long osThreadId, string file)
    {
        if (!OperatingSystem.IsLinux()) return null;

        try
        {
            return File.ReadAllText($"{_tasks}/{osThreadId.ToString(CultureInfo.InvariantCulture)}/{file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The folder of each thread, by OS id; empty where /proc cannot be read.</summary>
    /// <exception cref="IOException">The folder cannot be listed.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be listed.</exception>
    public IEnumerable<(long Id, string Directory)> Threads()
    {
        foreach (var directory in Directory.EnumerateDirectories(_tasks))
        {
            if (long.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) yield return (id, directory);
        }
    }

    /// <summary>The OS ids of the threads of the process, the names of the folders in its task folder; null where /proc cannot be read.</summary>
    public IReadOnlySet<long>? ThreadIds()
    {
        try
        {
            return Threads().Select(thread => thread.Id).ToHashSet();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // no /proc (a locked-down container): no thread is known to end
        }
    }
}
