using System.Globalization;
using System.Runtime.CompilerServices;
using ProfilingKit;

namespace AllocatingApp;

/// <summary>
/// Usage: AllocatingApp ADDRESS MEGABYTES [busy]. Prints "listening URL" (or "not listening"), then
/// "allocated N" with the bytes KnownAllocations.Run's thread allocated, then serves until stdin closes.
/// With "busy" it then keeps three threads at known work: one burning CPU, one allocating, one asleep.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var started = DebugPprof.Start(args[0]);
        Console.WriteLine(started ? $"listening {DebugPprof.ProfilesUrl}" : "not listening");
        var sampling = started && DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
        Console.WriteLine(sampling ? "sampling" : "not sampling");

        KnownAllocations.Count = int.Parse(args[1], CultureInfo.InvariantCulture) * 1000;
        var worker = new Thread(KnownAllocations.Run); // the known method is the thread's root
        worker.Start();
        worker.Join();
        Console.WriteLine($"allocated {KnownAllocations.Allocated.ToString(CultureInfo.InvariantCulture)}");
        if (args is [_, _, "busy"]) BusyWork.Start();

        Console.In.ReadToEnd();
        return 0;
    }
}

public static class KnownAllocations
{
    public static object? Sink;

    /// <summary>How many 1000-byte arrays <see cref="Run"/> allocates.</summary>
    public static int Count { get; set; }

    /// <summary>The bytes <see cref="Run"/>'s thread allocated, as the runtime counts them.</summary>
    public static long Allocated { get; private set; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Count; i++)
        {
            Sink = new byte[1000];
        }

        Allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
