using System.Globalization;
using System.Runtime.CompilerServices;
using ProfilingKit;

namespace AllocatingApp;

/// <summary>
/// Usage: AllocatingApp ADDRESS MEGABYTES [busy] [retain=MEGABYTES] [inlined=MEGABYTES] [loops=MEGABYTES] [labels=MEGABYTES]. Prints
/// "listening URL" (or "not listening"), then, after inlined= has had InlinedAllocations.Run allocate
/// that much (and loops= has had each LoopAllocations method allocate that much), "allocated N" with the bytes KnownAllocations.Run's thread allocated, then, with labels=,
/// "labelled A B" with the bytes LabelledWork allocated under tenant=a and tenant=b, then,
/// with retain=, "retained N" with the bytes of the live RetainedRecord arrays it keeps and "heap N"
/// with GC.GetTotalMemory(true) after that; then serves
/// until stdin closes. With "busy" it then keeps three threads at known work: one burning CPU, one
/// allocating, one asleep.
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
        var inlined = args.Skip(2).FirstOrDefault(arg => arg.StartsWith("inlined=", StringComparison.Ordinal));
        if (inlined is not null) InliningLibrary.InlinedAllocations.Run(int.Parse(inlined.Substring("inlined=".Length), CultureInfo.InvariantCulture));
        var loops = args.Skip(2).FirstOrDefault(arg => arg.StartsWith("loops=", StringComparison.Ordinal));
        if (loops is not null) InliningLibrary.LoopAllocations.Run(int.Parse(loops.Substring("loops=".Length), CultureInfo.InvariantCulture));
        Console.WriteLine($"allocated {KnownAllocations.Allocated.ToString(CultureInfo.InvariantCulture)}");
        var labelled = args.Skip(2).FirstOrDefault(arg => arg.StartsWith("labels=", StringComparison.Ordinal));
        if (labelled is not null)
        {
            var (a, b) = LabelledWork.Run(int.Parse(labelled.Substring("labels=".Length), CultureInfo.InvariantCulture));
            Console.WriteLine($"labelled {a.ToString(CultureInfo.InvariantCulture)} {b.ToString(CultureInfo.InvariantCulture)}");
        }

        var retain = args.Skip(2).FirstOrDefault(arg => arg.StartsWith("retain=", StringComparison.Ordinal));
        if (retain is not null)
        {
            var retained = RetainedHeap.Retain(int.Parse(retain.Substring("retain=".Length), CultureInfo.InvariantCulture));
            Console.WriteLine($"retained {retained.ToString(CultureInfo.InvariantCulture)}");
        }

        if (args.Skip(2).Contains("busy")) BusyWork.Start();

        // Each "heap" line on stdin is answered with GC.GetTotalMemory(true): the live heap as the runtime counts it, now;
        // "background-gc" runs a background gen2 GC, "release" drops the retained arrays first; each answers "<command> done".
        // "burn SECONDS" starts LabelledWork's labelled burn in the background; "burned" answers "burned A B",
        // the CPU nanoseconds each labelled flow has burned so far.
        while (Console.In.ReadLine() is { } command)
        {
            if (command == "heap") Console.WriteLine($"heap {GC.GetTotalMemory(forceFullCollection: true).ToString(CultureInfo.InvariantCulture)}");
            if (command.StartsWith("burn ", StringComparison.Ordinal)) LabelledWork.StartBurning(int.Parse(command.Substring("burn ".Length), CultureInfo.InvariantCulture));
            if (command is "background-gc" or "release")
            {
                if (command == "release") RetainedHeap.Release();
                GC.Collect(2, GCCollectionMode.Forced, blocking: false); // a background GC where the GC is concurrent, as by default
                Console.WriteLine($"{command} done");
            }

            if (command == "burned")
            {
                var (a, b) = LabelledWork.Burned;
                Console.WriteLine($"burned {a.ToString(CultureInfo.InvariantCulture)} {b.ToString(CultureInfo.InvariantCulture)}");
            }
        }

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

/// <summary>A live object graph of a type found nowhere else, for the heap profile to find.</summary>
public static class RetainedHeap
{
    private const int RecordsPerArray = 1024; // 64 KB arrays: below the LOH threshold, so gen0-gen2 like most data

    private static readonly List<RetainedRecord[]> Kept = new();

    /// <summary>Lets the retained arrays go.</summary>
    public static void Release() => Kept.Clear();

    /// <summary>Keeps about <paramref name="megabytes"/> MB of RetainedRecord arrays alive; returns their exact size.</summary>
    public static long Retain(int megabytes)
    {
        var arrays = megabytes * 1024 * 1024 / (RecordsPerArray * Unsafe.SizeOf<RetainedRecord>());
        for (var i = 0; i < arrays; i++) Kept.Add(new RetainedRecord[RecordsPerArray]);

        // Each array: its elements plus the 24-byte array header of 64-bit .NET.
        return arrays * (24L + RecordsPerArray * Unsafe.SizeOf<RetainedRecord>());
    }
}

/// <summary>64 bytes of nothing in particular.</summary>
public struct RetainedRecord
{
    public long A, B, C, D, E, F, G, H;
}
