namespace ProfilingKit.Bench;

/// <summary>
/// How allocation-heavy the workload is. The runtime takes one sample per ~100 KB allocated, so the
/// cost of sampling grows with the allocation rate and every overhead figure must state it.
/// </summary>
/// <param name="Name">The name on the command line and in reports.</param>
/// <param name="ArithmeticPerConcatenation">
/// Rounds of register-only arithmetic after each string concatenation: they spend time without
/// allocating, which lowers the rate. Tuned on the 2-core benchmark machine (docs/benchmarks.md).
/// </param>
/// <param name="SecondsPerCall">
/// About how long one call of the workload function takes in plain mode on the benchmark machine,
/// to turn the settings' seconds into a fixed number of calls.
/// </param>
internal sealed record AllocationRate(string Name, int ArithmeticPerConcatenation, double SecondsPerCall)
{
    /// <summary>About 250 MB/s, the rate the 3% throughput target (DESIGN §5) applies at.</summary>
    public static readonly AllocationRate Moderate = new("moderate", 68_000, 1.5);

    /// <summary>Pure concatenation: as fast as this machine allocates, several GB/s.</summary>
    public static readonly AllocationRate High = new("high", 0, 0.06);

    public static IReadOnlyList<AllocationRate> All { get; } = [Moderate, High];

    public static AllocationRate Parse(string name) =>
        All.FirstOrDefault(rate => rate.Name == name)
        ?? throw new ArgumentException($"unknown rate '{name}'; expected one of: {string.Join(", ", All.Select(r => r.Name))}");

    /// <summary>The number of calls that takes about <paramref name="seconds"/> in plain mode here; at least one.</summary>
    public int CallsFor(double seconds) => Math.Max(1, (int)Math.Round(seconds / SecondsPerCall));

    public override string ToString() => Name;
}
