namespace ProfilingKit.Threads;

/// <summary>
/// One managed thread at one moment: its OS id, its OS name, its OS state (<see cref="OsThreadState"/>),
/// its stack (return addresses, leaf first), and how it was started where that is known.
/// </summary>
internal sealed record ThreadStack(long ThreadId, string Name, string State, ulong[] Stack, ThreadCreation? CreatedBy = null);
