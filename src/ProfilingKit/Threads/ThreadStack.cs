using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// One managed thread at one moment: its OS id, its OS name, whether it was running managed code,
/// its stack (return addresses, leaf first), and how it was started where that is known.
/// </summary>
internal sealed record ThreadStack(long ThreadId, string Name, ThreadSampleKind Kind, ulong[] Stack, ThreadCreation? CreatedBy = null);
