using System.Diagnostics;
using System.Globalization;

namespace ProfilingKit.Bench;

/// <summary>
/// The measured process of the contention benchmark: <c>contention-workload MODE WARMUP_SECONDS TIMED_SECONDS</c>.
/// Four threads on one lock, each holding it for a short computation and a yield of its core, then
/// computing as long outside it, so they wait for each other all the time (some 25,000 contentions a
/// second on two cores): each wait is a ContentionStart/Stop pair with a stack walk under ProfilingKit.
/// Prints one <see cref="ResultPrefix"/> line and exits.
/// </summary>
internal static class LockWorkload
{
    public const string ResultPrefix = "lock-result ";

    public const string Usage = "contention-workload (plain|profilingkit) WARMUP_SECONDS TIMED_SECONDS";

    private const int Threads = 4;
    private const int WorkInside = 1000;
    private const int WorkOutside = 1000;

    private static readonly object Gate = new();
    private static volatile bool _stop;
    private static double _sink;

    public static int Run(string[] args)
    {
        if (args.Length != 3
            || !double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var warmupSeconds)
            || !double.TryParse(args[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var timedSeconds))
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        var mode = BenchMode.Parse(args[0]);
        if (mode == BenchMode.RuntimeSession)
        {
            Console.Error.WriteLine("the contention benchmark compares plain and profilingkit only");
            return 2;
        }

        if (mode == BenchMode.ProfilingKit
            && (!DebugPprof.Start($"127.0.0.1:{ProfilingKit.Testing.FreePort.Next()}") || !DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30))))
        {
            Console.Error.WriteLine("ProfilingKit did not start sampling; see its line above.");
            return 2;
        }

        var roundTrips = new long[Threads];
        var workers = Enumerable.Range(0, Threads).Select(i => new Thread(() => Hammer(ref roundTrips[i])) { IsBackground = true }).ToList();
        workers.ForEach(worker => worker.Start());

        // The warm-up lets tiered compilation settle, ProfilingKit's own code included.
        Thread.Sleep(TimeSpan.FromSeconds(warmupSeconds));
        var process = Process.GetCurrentProcess();
        var tripsBefore = Total(roundTrips);
        var contentionsBefore = Monitor.LockContentionCount;
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(timedSeconds));
        var trips = Total(roundTrips) - tripsBefore;
        var contentions = Monitor.LockContentionCount - contentionsBefore;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var seconds = clock.Elapsed.TotalSeconds;
        _stop = true;
        workers.ForEach(worker => worker.Join());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{trips} {contentions} {cpu:F3} {seconds:F3}"));
        return 0;
    }

    /// <summary>Parses the result line into per-second rates and the cores the process kept busy.</summary>
    public static bool TryParse(string line, out (double RoundTripsPerSecond, double ContentionsPerSecond, double Cores) result)
    {
        result = default;
        if (!line.StartsWith(ResultPrefix, StringComparison.Ordinal)) return false;

        var fields = line[ResultPrefix.Length..].Split(' ').Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var seconds = fields[3];
        result = (fields[0] / seconds, fields[1] / seconds, fields[2] / seconds);
        return true;
    }

    private static void Hammer(ref long roundTrips)
    {
        var x = 1.0;
        while (!_stop)
        {
            lock (Gate)
            {
                x = Compute(x, WorkInside);
                Thread.Yield(); // gives the core away while holding the lock, so the others come to wait for it
            }

            x = Compute(x, WorkOutside);
            Volatile.Write(ref roundTrips, roundTrips + 1);
        }

        _sink = x;
    }

    private static long Total(long[] counts)
    {
        long total = 0;
        for (var i = 0; i < counts.Length; i++) total += Volatile.Read(ref counts[i]);
        return total;
    }

    private static double Compute(double x, int steps)
    {
        for (var i = 0; i < steps; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }
}
