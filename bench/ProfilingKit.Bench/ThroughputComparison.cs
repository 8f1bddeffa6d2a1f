namespace ProfilingKit.Bench;

/// <summary>The throughput runs of one allocation rate, by mode, in round order.</summary>
internal sealed class ThroughputComparison(AllocationRate rate)
{
    private readonly Dictionary<BenchMode, List<WorkloadResult>> _runs = BenchMode.All.ToDictionary(mode => mode, _ => new List<WorkloadResult>());

    public AllocationRate Rate { get; } = rate;

    public void Add(BenchMode mode, WorkloadResult result) => _runs[mode].Add(result);

    public double Median(BenchMode mode, Func<WorkloadResult, double> measure) => Statistics.Median(_runs[mode].Select(measure));

    /// <summary>The ratio of the medians: the headline figure.</summary>
    public double Ratio(BenchMode numerator, BenchMode denominator, Func<WorkloadResult, double> measure) =>
        Median(numerator, measure) / Median(denominator, measure);

    /// <summary>Ratios within each round, which ran back to back: shows how much the noise moves a ratio.</summary>
    public IEnumerable<double> RoundRatios(BenchMode numerator, BenchMode denominator, Func<WorkloadResult, double> measure) =>
        _runs[numerator].Zip(_runs[denominator], (a, b) => measure(a) / measure(b));

    /// <summary>Median CPU seconds of a thread (by name) in a phase; 0 where the thread did not run.</summary>
    public double MedianThreadCpu(BenchMode mode, Func<WorkloadResult, WorkPhase> phase, string threadName) =>
        Median(mode, run => phase(run).ThreadCpuSeconds.TryGetValue(threadName, out var seconds) ? seconds : 0);

    public IEnumerable<string> ThreadNames(Func<WorkloadResult, WorkPhase> phase) =>
        _runs.Values.SelectMany(runs => runs).SelectMany(run => phase(run).ThreadCpuSeconds.Keys).Distinct();
}
