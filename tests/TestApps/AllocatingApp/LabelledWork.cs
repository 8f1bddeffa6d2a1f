using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProfilingKit;

namespace AllocatingApp;

/// <summary>
/// Labelled work for the profile-label tests: two async flows run at the same time under
/// <c>tenant=a</c> and <c>tenant=b</c>, allocating 1000-byte arrays in chunks with an
/// <c>await Task.Yield()</c> between chunks, so each flow's continuations hop between pool threads;
/// then two threads contend for one lock under <c>phase=contend</c>. Every chunk's bytes are
/// measured on the thread that allocated them, so each tenant's truth is known.
/// </summary>
public static class LabelledWork
{
    public static object? Sink;

    private static readonly object Gate = new();

    /// <summary>Runs tenant a's <paramref name="megabytes"/> MB and tenant b's twice as many, then the labelled contention; returns the measured bytes per tenant.</summary>
    public static (long A, long B) Run(int megabytes)
    {
        var a = Task.Run(() => Tenant("a", megabytes));
        var b = Task.Run(() => Tenant("b", 2 * megabytes));
        var bytes = (a.GetAwaiter().GetResult(), b.GetAwaiter().GetResult());

        using (ProfileLabels.Set("phase", "contend"))
        {
            var threads = new[] { new Thread(ContendLabelled), new Thread(ContendLabelled) };
            foreach (var thread in threads) thread.Start(); // a new thread starts with the creator's async context, labels included
            foreach (var thread in threads) thread.Join();
        }

        return bytes;
    }

    private static async Task<long> Tenant(string tenant, int megabytes)
    {
        using var scope = ProfileLabels.Set("tenant", tenant);
        long allocated = 0;
        for (var chunk = 0; chunk < megabytes; chunk++)
        {
            allocated += AllocateChunk();
            await Task.Yield();
        }

        return allocated;
    }

    /// <summary>About a megabyte of 1000-byte arrays; the bytes this thread allocated doing it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long AllocateChunk()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) Sink = new byte[1000];
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long _burnedA;
    private static long _burnedB;

    /// <summary>
    /// Starts, in the background for <paramref name="seconds"/>, two labelled async flows that burn CPU in
    /// 1 ms chunks: <c>job=a</c> sleeps about a millisecond (<c>Task.Delay(1)</c>) after each chunk,
    /// <c>job=b</c> only yields. <see cref="Burned"/> says how much CPU each flow's chunks have taken so far.
    /// </summary>
    public static void StartBurning(int seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        _ = Task.Run(() => BurnFlow("a", until, sleep: true));
        _ = Task.Run(() => BurnFlow("b", until, sleep: false));
    }

    /// <summary>The CPU nanoseconds each flow's chunks have taken so far, by the clocks of the threads that ran them.</summary>
    public static (long A, long B) Burned => (Interlocked.Read(ref _burnedA), Interlocked.Read(ref _burnedB));

    private static async Task BurnFlow(string job, DateTime until, bool sleep)
    {
        using var scope = ProfileLabels.Set("job", job);
        while (DateTime.UtcNow < until)
        {
            Interlocked.Add(ref sleep ? ref _burnedA : ref _burnedB, BurnLabelled());
            if (sleep) await Task.Delay(1);
            else await Task.Yield();
        }
    }

    /// <summary>About a millisecond of arithmetic; the nanoseconds of CPU it took, by this thread's clock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long BurnLabelled()
    {
        var before = ThreadCpuNanos();
        var x = 1.0;
        var start = Environment.TickCount64;
        for (var i = 0; Environment.TickCount64 - start < 1 || i < 100_000; i++) x = x * 1.0000001 + 1e-9;
        Sink = x;
        return ThreadCpuNanos() - before;
    }

    private static long ThreadCpuNanos()
    {
        ClockGetTime(3, out var time); // CLOCK_THREAD_CPUTIME_ID
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ContendLabelled()
    {
        for (var i = 0; i < 10; i++)
        {
            lock (Gate)
            {
                Thread.Sleep(10);
            }

            Thread.Sleep(1);
        }
    }
}
