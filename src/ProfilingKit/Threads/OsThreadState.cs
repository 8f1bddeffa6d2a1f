namespace ProfilingKit.Threads;

/// <summary>
/// What the OS says a thread of the profiled process is doing, in the spelling of Go's goroutine dump. The
/// runtime's sampler cannot tell: it marks a thread "managed" whenever it was in cooperative mode,
/// which idle thread-pool workers spinning before they block are, so only the kernel knows who
/// runs and who waits.
/// </summary>
internal static class OsThreadState
{
    /// <summary>On a CPU or ready to run (Linux R).</summary>
    public const string Running = "running";

    /// <summary>Blocked: asleep, in a lock or wait handle, waiting for I/O (Linux S, interruptible).</summary>
    public const string Waiting = "waiting";

    /// <summary>In a system call that cannot be interrupted, mostly disk I/O (Linux D).</summary>
    public const string Syscall = "syscall";

    /// <summary>Stopped by a signal or a debugger (Linux T, t).</summary>
    public const string Stopped = "stopped";

    /// <summary>Not Linux, the thread has ended, or a state this table does not know.</summary>
    public const string Unknown = "unknown";

    /// <summary>The state of the thread with OS id <paramref name="osThreadId"/>, read from its /proc task folder (ID/stat) on Linux.</summary>
    public static string Of(ProcTask tasks, long osThreadId) => tasks.Read(osThreadId, "stat") is { } stat ? FromStat(stat) : Unknown;

    /// <summary>
    /// The state in a line of /proc/…/stat: <c>ID (COMM) STATE …</c>. COMM is the thread's name and may
    /// hold spaces and parentheses itself, so the state is the field after the last ')'.
    /// </summary>
    public static string FromStat(string stat)
    {
        var end = stat.LastIndexOf(')');
        if (end < 0 || end + 2 >= stat.Length) return Unknown;

        return stat[end + 2] switch
        {
            'R' => Running,
            'S' => Waiting,
            'D' => Syscall,
            'T' or 't' => Stopped,
            _ => Unknown,
        };
    }
}
