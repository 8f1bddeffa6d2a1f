namespace ProfilingKit.Threads;

/// <summary>
/// The OS's name of a thread of the profiled process. EventPipe knows threads only by OS id; .NET gives a
/// named managed thread the same OS name (cut to 15 characters on Linux), and names its own threads
/// (".NET TP Worker", ".NET Finalizer"), so this is the best name there is for a sampled thread.
/// </summary>
internal static class OsThreadNames
{
    /// <summary>The name, or "" where the OS does not say (not Linux, or the thread has ended).</summary>
    public static string Of(ProcTask tasks, long osThreadId) => tasks.Read(osThreadId, "comm")?.TrimEnd('\n') ?? "";
}
