namespace ProfilingKit.Bench;

/// <summary>What runs beside the workload in one measured process.</summary>
internal sealed record BenchMode(string Name, string Description)
{
    /// <summary>No tracing at all: the baseline.</summary>
    public static readonly BenchMode Plain = new("plain", "no tracing");

    /// <summary>
    /// The runtime's own cost floor: a file session started by environment variables, with the same
    /// allocation-sampling keyword and stacks, and no reader in the process.
    /// </summary>
    public static readonly BenchMode RuntimeSession = new("runtime-session", "DOTNET_EnableEventPipe file session, keyword 0x80000000000, no reader");

    /// <summary>ProfilingKit as an app uses it: DebugPprof.Start, sampling read in process, no request.</summary>
    public static readonly BenchMode ProfilingKit = new("profilingkit", "DebugPprof.Start, in-process reader, no request");

    public static IReadOnlyList<BenchMode> All { get; } = [Plain, RuntimeSession, ProfilingKit];

    public static BenchMode Parse(string name) =>
        All.FirstOrDefault(mode => mode.Name == name)
        ?? throw new ArgumentException($"unknown mode '{name}'; expected one of: {string.Join(", ", All.Select(m => m.Name))}");

    public override string ToString() => Name;
}
