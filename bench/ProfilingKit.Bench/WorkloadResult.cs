using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ProfilingKit.Bench;

/// <summary>What one workload process measured, passed to the driver as one stdout line.</summary>
/// <param name="Warmup">The untimed first seconds after set-up: they hold one-off costs such as tiered JIT of ProfilingKit's own code.</param>
/// <param name="Timed">The measured work, after the warm-up.</param>
/// <param name="ProfilesUrl">The pprof endpoint's URL in profilingkit mode.</param>
internal sealed record WorkloadResult(string Mode, string Rate, WorkPhase Warmup, WorkPhase Timed, string? ProfilesUrl)
{
    private const string LinePrefix = "result ";

    public string ToLine() => LinePrefix + JsonSerializer.Serialize(this);

    public static bool TryParseLine(string line, [NotNullWhen(true)] out WorkloadResult? result)
    {
        result = line.StartsWith(LinePrefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<WorkloadResult>(line.AsSpan(LinePrefix.Length))
            : null;
        return result is not null;
    }
}
