using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ProfilingKit.Diagnostics;

/// <summary>
/// The OS threads ProfilingKit runs on. EventPipe names threads by OS id, so profiles drop the
/// samples of these threads: the profiler's own work is not the app's.
/// </summary>
internal sealed partial class ProfilerThreads
{
    private readonly ConcurrentDictionary<long, byte> _ids = new();

    public bool Contains(long osThreadId) => _ids.ContainsKey(osThreadId);

    /// <summary>Starts a background thread whose OS id is registered before <paramref name="body"/> runs.</summary>
    public Thread Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            var id = CurrentOsThreadId();
            if (id != 0) _ids.TryAdd(id, 0);
            body();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return thread;
    }

    /// <summary>The OS id of the calling thread as EventPipe reports it, or 0 where unknown.</summary>
    public static long CurrentOsThreadId()
    {
        try
        {
            if (OperatingSystem.IsLinux()) return LinuxGetTid();
            if (OperatingSystem.IsWindows()) return WindowsGetCurrentThreadId();
            if (OperatingSystem.IsMacOS() && MacThreadId(IntPtr.Zero, out var id) == 0) return (long)id;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Unknown platform: the profiler's threads then show in its profiles.
        }

        return 0;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int LinuxGetTid();

    [LibraryImport("kernel32", EntryPoint = "GetCurrentThreadId")]
    private static partial uint WindowsGetCurrentThreadId();

    [LibraryImport("libSystem.dylib", EntryPoint = "pthread_threadid_np")]
    private static partial int MacThreadId(IntPtr thread, out ulong threadId);
}
