using System.Globalization;
using System.Runtime.CompilerServices;

namespace AttachTargetApp;

/// <summary>
/// Prints "ready PID" once its threads run, then answers stdin until it closes:
/// "alloc MB" allocates MB megabytes of 1000-byte arrays in <see cref="Allocator.AllocateKnownBytes"/>
/// on a thread of its own and prints "allocated BYTES" (GC.GetAllocatedBytesForCurrentThread around the
/// loop); "steps" prints "steps N", the burner's progress counter. Threads: BurnCpu (arithmetic,
/// forever, counting steps), two ContendForLock (taking turns on one lock), Park (asleep), and a
/// RetainedRecord[] list of about 16 MB that stays alive for the heap profile.
/// </summary>
public static class Program
{
    public static void Main()
    {
        Retained.Keep(16);
        foreach (var body in new ThreadStart[] { Burner.BurnCpu, Locks.ContendForLock, Locks.ContendForLock, Sleeper.Park })
        {
            new Thread(body) { IsBackground = true, Name = body.Method.Name }.Start();
        }

        Console.WriteLine($"ready {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        while (Console.In.ReadLine() is { } command)
        {
            if (command.StartsWith("alloc ", StringComparison.Ordinal))
            {
                var megabytes = int.Parse(command["alloc ".Length..], CultureInfo.InvariantCulture);
                var thread = new Thread(() => Allocator.AllocateKnownBytes(megabytes * 1000)) { Name = "AllocateKnown" };
                thread.Start();
                thread.Join();
                Console.WriteLine($"allocated {Allocator.Allocated.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (command == "steps")
            {
                Console.WriteLine($"steps {Burner.Steps.ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }
}

public static class Allocator
{
    public static object? Sink;

    /// <summary>The bytes the last run's thread allocated, as the runtime counts them.</summary>
    public static long Allocated { get; private set; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AllocateKnownBytes(int arrays)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < arrays; i++) Sink = new byte[1000];
        Allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

public static class Burner
{
    private static long _steps;

    public static long Steps => Interlocked.Read(ref _steps);

    /// <summary>Pure arithmetic, forever: the top of a CPU profile; each step is 100,000 multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void BurnCpu()
    {
        var x = 1.0;
        while (true)
        {
            for (var i = 0; i < 100_000; i++) x = x * 1.0000001 + 1e-9;
            Interlocked.Add(ref _steps, 1 + ((long)x & 0));
        }
    }
}

public static class Locks
{
    private static readonly object Gate = new();

    /// <summary>Two threads take turns holding one lock for 20 ms: about 25 contentions a second each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ContendForLock()
    {
        while (true)
        {
            lock (Gate) Thread.Sleep(20);
            Thread.Sleep(1);
        }
    }
}

public static class Sleeper
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Park()
    {
        while (true) Thread.Sleep(1000);
    }
}

public static class Retained
{
    private static readonly List<RetainedRecord[]> Kept = new();

    public static void Keep(int megabytes)
    {
        for (var i = 0; i < megabytes * 16; i++) Kept.Add(new RetainedRecord[1024]);
    }
}

/// <summary>64 bytes of nothing in particular: a type found nowhere else, for the heap profile.</summary>
public struct RetainedRecord
{
    public long A, B, C, D, E, F, G, H;
}
