using ProfilingKit.EventPipe;

namespace ProfilingKit.Threads;

/// <summary>
/// One managed thread at one moment: its OS id, its OS name, whether it was running managed code,
/// and its stack (return addresses, leaf first).
/// </summary>
internal sealed record ThreadStack(long ThreadId, string Name, ThreadSampleKind Kind, ulong[] Stack);
