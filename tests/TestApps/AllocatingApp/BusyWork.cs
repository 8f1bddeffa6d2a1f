using System.Runtime.CompilerServices;

namespace AllocatingApp;

/// <summary>Known, lasting work for the CPU, wall-clock, goroutine, contention and delta profile tests: each kind is the root method of its own thread (two for the lock).</summary>
public static class BusyWork
{
    public static object? Sink;

    private static readonly object Gate = new();

    private static readonly object Pulse = new();

    private static long _spins;

    public static void Start()
    {
        foreach (var body in new ThreadStart[] { BurnCpu, ChurnAllocations, Park, AwaitPulse, ContendForLock, ContendForLock })
        {
            new Thread(body) { IsBackground = true, Name = body.Method.Name }.Start();
        }
    }

    /// <summary>
    /// Pure arithmetic on one thread, forever: the top of a CPU profile. It calls two methods of the
    /// same loop for 7:3 as many iterations, so a CPU profile should split them about 70/30.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BurnCpu()
    {
        var x = 1.0;
        while (true)
        {
            x = SeventyPercent(x);
            x = ThirtyPercent(x);
            Interlocked.Add(ref _spins, (long)x & 1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double SeventyPercent(double x)
    {
        for (var i = 0; i < 70_000; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double ThirtyPercent(double x)
    {
        for (var i = 0; i < 30_000; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }

    /// <summary>About 10 MB a second of 1000-byte arrays, forever: what a delta allocs profile sees.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ChurnAllocations()
    {
        while (true)
        {
            for (var i = 0; i < 1000; i++) Sink = new byte[1000];
            Thread.Sleep(100);
        }
    }

    /// <summary>Asleep, forever: waiting time in a wall-clock profile.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Park()
    {
        while (true) Thread.Sleep(1000);
    }

    /// <summary>Blocked in Monitor.Wait, forever: nothing pulses. A waiting thread in the goroutine dump.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AwaitPulse()
    {
        lock (Pulse)
        {
            while (true) Monitor.Wait(Pulse);
        }
    }

    /// <summary>
    /// Two threads take turns holding one lock for 20 ms, forever: each waits for the other about
    /// 25 times a second, what the block and mutex profiles see. Asleep while holding, so it costs no CPU.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ContendForLock()
    {
        while (true)
        {
            lock (Gate)
            {
                Thread.Sleep(20);
            }

            Thread.Sleep(1); // lets the waiter in: Monitor is not fair, and a long wait would report no contention until it ended
        }
    }
}
