using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ProfilingKit.Bench;

/// <summary>
/// A CPU-bound thread that alternates two methods of the same arithmetic, Seventy and Thirty, in
/// chunks of 7:3 iterations, and measures with Stopwatch how long it really spends in each: the
/// ground truth the CPU profile's split is compared with. Chunks last about 0.1 ms, far below the
/// sampler's ~4 ms period, so samples land at random phases of the loop.
/// </summary>
internal sealed class CpuSplitWorkload : IDisposable
{
    public const string ThreadName = "cpu-split";
    public const string SeventyMethod = "ProfilingKit.Bench.CpuSplitWorkload.Seventy";
    public const string ThirtyMethod = "ProfilingKit.Bench.CpuSplitWorkload.Thirty";

    private const int SeventyIterations = 70_000;
    private const int ThirtyIterations = 30_000;

    private readonly Thread _thread;
    private long _chunks;
    private long _seventyTicks;
    private long _thirtyTicks;
    private volatile bool _stop;

    public CpuSplitWorkload()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
        _thread.Start();
    }

    public static double Sink { get; private set; }

    /// <summary>Runs <paramref name="during"/> and reports what the workload did meanwhile.</summary>
    public CpuSplitWindow Measure(Action during)
    {
        var (chunks, seventy, thirty) = Read();
        var cpu = AppThreadCpuSeconds();
        var started = Stopwatch.GetTimestamp();
        during();
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (chunksAfter, seventyAfter, thirtyAfter) = Read();
        var seventyShare = (seventyAfter - seventy) / (double)(seventyAfter - seventy + thirtyAfter - thirty);
        var cpuSeconds = AppThreadCpuSeconds() - cpu;
        return new CpuSplitWindow((chunksAfter - chunks) / wall, (chunksAfter - chunks) / cpuSeconds, seventyShare, cpuSeconds / wall, wall);
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private static double AppThreadCpuSeconds() =>
        ThreadCpuTimes.Read(Environment.ProcessId).Values.Where(thread => thread.Name == ThreadName).Sum(thread => thread.Seconds);

    private (long Chunks, long Seventy, long Thirty) Read() =>
        (Interlocked.Read(ref _chunks), Interlocked.Read(ref _seventyTicks), Interlocked.Read(ref _thirtyTicks));

    private void Run()
    {
        var x = 1.0;
        while (!_stop)
        {
            var start = Stopwatch.GetTimestamp();
            x = Seventy(x, SeventyIterations);
            var middle = Stopwatch.GetTimestamp();
            x = Thirty(x, ThirtyIterations);
            var end = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _seventyTicks, middle - start);
            Interlocked.Add(ref _thirtyTicks, end - middle);
            Interlocked.Increment(ref _chunks);
        }

        Sink = x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Seventy(double x, int iterations)
    {
        for (var i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Thirty(double x, int iterations)
    {
        for (var i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }
}
