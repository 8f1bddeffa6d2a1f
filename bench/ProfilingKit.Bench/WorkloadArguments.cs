using System.Globalization;

namespace ProfilingKit.Bench;

/// <summary>
/// One measured process: <c>workload MODE RATE WARMUP_CALLS calls N</c> runs an untimed warm-up, then a
/// fixed amount of work (throughput); <c>workload MODE RATE WARMUP_CALLS seconds S</c> runs for a fixed
/// time after the warm-up (memory).
/// </summary>
internal sealed record WorkloadArguments(BenchMode Mode, AllocationRate Rate, int WarmupCalls, int? Calls, double? Seconds)
{
    public const string Usage = "workload MODE RATE WARMUP_CALLS (calls N | seconds S)";

    public static WorkloadArguments ForCalls(BenchMode mode, AllocationRate rate, int warmupCalls, int calls) => new(mode, rate, warmupCalls, calls, null);

    public static WorkloadArguments ForSeconds(BenchMode mode, AllocationRate rate, int warmupCalls, double seconds) => new(mode, rate, warmupCalls, null, seconds);

    public static WorkloadArguments Parse(string[] args)
    {
        if (args.Length != 5) throw new ArgumentException("usage: " + Usage);

        var mode = BenchMode.Parse(args[0]);
        var rate = AllocationRate.Parse(args[1]);
        var warmupCalls = int.Parse(args[2], CultureInfo.InvariantCulture);
        return args[3] switch
        {
            "calls" => ForCalls(mode, rate, warmupCalls, int.Parse(args[4], CultureInfo.InvariantCulture)),
            "seconds" => ForSeconds(mode, rate, warmupCalls, double.Parse(args[4], CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException($"expected 'calls' or 'seconds', not '{args[3]}'"),
        };
    }

    public IReadOnlyList<string> ToCommandLine() =>
    [
        "workload", Mode.Name, Rate.Name, WarmupCalls.ToString(CultureInfo.InvariantCulture),
        Calls is not null ? "calls" : "seconds",
        Calls is { } calls ? calls.ToString(CultureInfo.InvariantCulture) : Seconds!.Value.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>True when the work ends; checked once per call of the workload function.</summary>
    public bool IsDone(int callsDone, TimeSpan elapsed) =>
        Calls is { } calls ? callsDone >= calls : elapsed.TotalSeconds >= Seconds;
}
