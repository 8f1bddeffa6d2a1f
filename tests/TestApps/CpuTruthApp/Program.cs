using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProfilingKit;

namespace CpuTruthApp;

/// <summary>
/// Usage: CpuTruthApp ADDRESS bursts|pinvoke|timestamp. Starts the endpoint, prints "listening URL",
/// starts the workload's threads (each named after its work, so /proc names it), lets them reach
/// optimized code, prints "ready", and serves until stdin closes.
/// <list type="bullet">
/// <item>bursts: thread BurnA burns <see cref="Work.BurnA"/> without a pause; thread BurnB alternates
/// 0.54 ms of <see cref="Work.BurnB"/> with Thread.Sleep(1); thread Parked sleeps in <see cref="Work.Park"/>.</item>
/// <item>pinvoke: threads Chunks1 and Chunks2 run 2 ms chunks of <see cref="Work.ComputeOne"/> and
/// <see cref="Work.ComputeTwo"/>, each chunk two halves with a short P/Invoke (getppid) after each,
/// called from <see cref="Work.Chunk"/>.</item>
/// <item>timestamp: thread Stamps calls Stopwatch.GetTimestamp() in <see cref="Work.Stamps"/>, forever.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var started = DebugPprof.Start(args[0]);
        Console.WriteLine(started ? $"listening {DebugPprof.ProfilesUrl}" : "not listening");

        var perMillisecond = Work.CalibrateIterationsPerMillisecond();
        var threads = args[1] switch
        {
            "bursts" => new (string, ThreadStart)[]
            {
                ("BurnA", () => { while (true) Work.BurnA(perMillisecond); }),
                ("BurnB", () => { while (true) { Work.BurnB(perMillisecond * 54 / 100); Thread.Sleep(1); } }),
                ("Parked", Work.Park),
            },
            "pinvoke" => new (string, ThreadStart)[]
            {
                ("Chunks1", () => { while (true) Work.Chunk(perMillisecond, second: false); }),
                ("Chunks2", () => { while (true) Work.Chunk(perMillisecond, second: true); }),
            },
            "timestamp" => new (string, ThreadStart)[] { ("Stamps", () => { while (true) Work.Stamps(); }) },
            _ => throw new ArgumentException("unknown workload " + args[1]),
        };

        foreach (var (name, body) in threads) new Thread(body) { IsBackground = true, Name = name }.Start();
        Thread.Sleep(1500); // past tiering's call counts and its 100 ms delay: the profile sees optimized code
        Console.WriteLine("ready");
        while (Console.In.ReadLine() is not null)
        {
        }

        return 0;
    }
}

/// <summary>The work the threads do, each piece a method of its own whose own code is the loop (no shared helper), so flat time lands on it.</summary>
public static partial class Work
{
    public static double Sink;

    private static long _stamps;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BurnA(long iterations)
    {
        var x = 1.0;
        for (long i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        Sink = x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BurnB(long iterations)
    {
        var x = 1.0;
        for (long i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        Sink = x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ComputeOne(long iterations)
    {
        var x = 1.0;
        for (long i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        Sink = x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ComputeTwo(long iterations)
    {
        var x = 1.0;
        for (long i = 0; i < iterations; i++) x = x * 1.0000001 + 1e-9;
        Sink = x;
    }

    /// <summary>A 2 ms chunk: two halves of computing, each followed by a short P/Invoke. Its own code is almost nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Chunk(long perMillisecond, bool second)
    {
        for (var half = 0; half < 2; half++)
        {
            if (second) ComputeTwo(perMillisecond);
            else ComputeOne(perMillisecond);
            Sink += GetParentProcessId();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Park() => Thread.Sleep(Timeout.Infinite);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Stamps()
    {
        long sum = 0;
        for (var i = 0; i < 10_000; i++) sum += Stopwatch.GetTimestamp();
        _stamps += sum;
    }

    /// <summary>
    /// About how many iterations of the burning loop take a millisecond of CPU here: the fastest of
    /// several rounds, so optimized code and a round the machine did not preempt.
    /// </summary>
    public static long CalibrateIterationsPerMillisecond()
    {
        long perMillisecond = 0;
        for (var round = 0; round < 5; round++) perMillisecond = Math.Max(perMillisecond, MeasureIterationsPerMillisecond());
        return perMillisecond;
    }

    private static long MeasureIterationsPerMillisecond()
    {
        long iterations = 10_000;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            BurnA(iterations);
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= TimeSpan.FromMilliseconds(100)) return Math.Max(1, (long)(iterations / elapsed.TotalMilliseconds));
            iterations *= 2;
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
