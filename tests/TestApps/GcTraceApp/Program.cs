using System.Globalization;
using System.Runtime.CompilerServices;

namespace GcTraceApp;

/// <summary>
/// Makes GCs of known kinds and reports on stdout what the runtime counted, for the test to compare
/// with the trace on stderr: "first N" (the GC count before), "gen0 N" and "gen2 N" (the numbers of
/// the induced GCs), "last N" (the count after). Then waits until stdin closes.
/// </summary>
public static class Program
{
    private static object? _sink;

    public static int Main()
    {
        Thread.Sleep(200); // the trace's listener attaches in the background
        Report("first", GC.CollectionCount(0));

        GC.Collect(0);
        Settle();
        Report("gen0", GC.CollectionCount(0));

        MakeGarbage(20_000);
        GC.Collect();
        Settle();
        Report("gen2", GC.CollectionCount(0));

        ChurnWithSurvivors();
        Settle();
        Report("last", GC.CollectionCount(0));

        Console.In.ReadToEnd();
        return 0;
    }

    /// <summary>Long-lived data that keeps growing makes the runtime run background gen2 GCs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ChurnWithSurvivors()
    {
        var kept = new List<byte[]>();
        for (var i = 0; i < 400_000; i++)
        {
            var block = new byte[1000];
            if (i % 4 == 0) kept.Add(block);
            if (kept.Count > 30_000) kept.RemoveRange(0, 10_000);
        }

        _sink = kept;
        _sink = null;
    }

    /// <summary>KB arrays that are garbage once this returns: no reference to them is left on Main's stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeGarbage(int count)
    {
        var list = new List<byte[]>(count);
        for (var i = 0; i < count; i++) list.Add(new byte[1000]);
        _sink = list;
        _sink = null;
    }

    /// <summary>The trace is written from the runtime's event dispatch thread, a little after each GC.</summary>
    private static void Settle() => Thread.Sleep(300);

    private static void Report(string what, int count) =>
        Console.WriteLine(what + " " + count.ToString(CultureInfo.InvariantCulture));
}
