namespace ProfilingKit.Bench;

/// <summary>A thread's name and the CPU seconds it has used so far.</summary>
internal readonly record struct ThreadCpu(string Name, double Seconds);
