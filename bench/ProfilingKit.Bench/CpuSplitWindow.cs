namespace ProfilingKit.Bench;

/// <summary>
/// What the split workload did in one window: chunks of work per second of wall time and per second
/// of its thread's CPU time (the second is blind to how much of a core the shared machine left it),
/// the true share of its time in Seventy, its thread's CPU time over wall time (below ~0.9 the shared
/// machine took the core away), and the window's length.
/// </summary>
internal readonly record struct CpuSplitWindow(double ChunksPerSecond, double ChunksPerCpuSecond, double TrueSeventyShare, double AppThreadOnCpu, double WallSeconds);
