using System.Globalization;
using System.Runtime.CompilerServices;
using ProfilingKit;

namespace AllocatingApp;

/// <summary>
/// Usage: AllocatingApp ADDRESS MEGABYTES. Prints "listening URL" (or "not listening"), then
/// "allocated N" with the bytes KnownAllocations.Run's thread allocated, then serves until stdin closes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var started = DebugPprof.Start(args[0]);
        Console.WriteLine(started ? $"listening {DebugPprof.ProfilesUrl}" : "not listening");
        var sampling = started && DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
        Console.WriteLine(sampling ? "sampling" : "not sampling");

        var megabytes = int.Parse(args[1], CultureInfo.InvariantCulture);
        long allocated = 0;
        var worker = new Thread(() => allocated = KnownAllocations.Run(megabytes * 1000, 1000));
        worker.Start();
        worker.Join();
        Console.WriteLine($"allocated {allocated.ToString(CultureInfo.InvariantCulture)}");

        Console.In.ReadToEnd();
        return 0;
    }
}

public static class KnownAllocations
{
    public static object? Sink;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Run(int count, int length)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            Sink = new byte[length];
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
