namespace ProfilingKit.Bench;

/// <summary>How much the driver runs: the full benchmark whose numbers go into docs/benchmarks.md, or a smoke run.</summary>
/// <param name="Rounds">Interleaved rounds (plain, runtime-session, profilingkit) per allocation rate.</param>
/// <param name="WarmupSeconds">
/// Untimed work before the timed work, in every mode and run. Right after DebugPprof.Start the runtime
/// tier-compiles ProfilingKit's own code (reader, sockets, some 550 methods) over several seconds: a
/// one-off cost, reported apart from the steady state that the timed work measures.
/// </param>
/// <param name="TimedSeconds">Timed work per throughput run (a fixed number of calls that takes about this long in plain mode).</param>
/// <param name="MemorySeconds">Length of each memory run after its warm-up (plain and profilingkit, moderate rate).</param>
/// <param name="MemorySampleEvery">How often the working set is read during a memory run.</param>
internal sealed record BenchSettings(
    string Name,
    int Rounds,
    double WarmupSeconds,
    double TimedSeconds,
    double MemorySeconds,
    TimeSpan MemorySampleEvery)
{
    /// <summary>5 rounds of 8 s warm-up and 6 s timed work per run, then 60 s memory runs: about 10 minutes.</summary>
    public static readonly BenchSettings Full = new("full", 5, 8, 6, 60, TimeSpan.FromSeconds(10));

    /// <summary>A smoke run of about a minute; its numbers are not for the docs.</summary>
    public static readonly BenchSettings Quick = new("quick", 1, 1.5, 1.5, 10, TimeSpan.FromSeconds(5));
}
