using System.Globalization;
using System.Text;

namespace ProfilingKit.Gc;

/// <summary>
/// Formats one GC as a line in the spirit of Go's <c>GODEBUG=gctrace=1</c> (docs/gctrace.md):
/// <code>
/// gc 12 @3.214s 1.8%: gen0 AllocSmall NonConcurrent, 0.011+0.384+0.004 ms clock, 90.3->74.5 MB, 0.2 MB promoted, 16.0 MB gen0 budget, 1 heaps
/// gc 25 @4.421s 2.0%: gen2 AllocSmall Background, 0.018+0.805+0.010 ms clock, 0.012+0.071+0.002 ms final, 3.3 ms concurrent, ?->28.1 MB, 18.0 MB promoted, ? MB gen0 budget, 1 heaps
/// </code>
/// Anything the events did not say is printed as <c>?</c>, never guessed.
/// </summary>
internal static class GcTraceLine
{
    private const double Megabyte = 1024 * 1024;

    public static string Format(GcRecord gc, TimeSpan uptime, double? pausePercent, long? heapBeforeBytes)
    {
        var line = new StringBuilder(200);
        line.Append(CultureInfo.InvariantCulture, $"gc {gc.Number} @{uptime.TotalSeconds:0.000}s ");
        AppendNumber(line, pausePercent, "0.0");
        line.Append(CultureInfo.InvariantCulture, $"%: gen{gc.Generation} {gc.Reason} {gc.Kind}, ");

        AppendPause(line, gc.Pauses.Count > 0 ? gc.Pauses[0] : null);
        line.Append(" ms clock");
        if (gc.Kind == GcKind.Background)
        {
            line.Append(", ");
            AppendPause(line, gc.Pauses.Count > 1 ? gc.Pauses[^1] : null);
            line.Append(" ms final, ");
            AppendNumber(line, Concurrent(gc)?.TotalMilliseconds, "0.0");
            line.Append(" ms concurrent");
        }

        line.Append(", ");
        AppendNumber(line, heapBeforeBytes / Megabyte, "0.0");
        line.Append("->");
        AppendNumber(line, gc.HeapAfterBytes / Megabyte, "0.0");
        line.Append(" MB, ");
        AppendNumber(line, gc.PromotedBytes / Megabyte, "0.0");
        line.Append(" MB promoted, ");
        AppendNumber(line, gc.Gen0BudgetBytes / Megabyte, "0.0");
        line.Append(" MB gen0 budget, ");
        AppendNumber(line, gc.HeapCount, "0");
        line.Append(" heaps");
        return line.ToString();
    }

    /// <summary>suspend+work+resume in milliseconds, each <c>?</c> when its events were not seen.</summary>
    private static void AppendPause(StringBuilder line, GcPause? pause)
    {
        AppendNumber(line, pause?.Suspend?.TotalMilliseconds, "0.000");
        line.Append('+');
        AppendNumber(line, pause?.Work?.TotalMilliseconds, "0.000");
        line.Append('+');
        AppendNumber(line, pause?.Resume?.TotalMilliseconds, "0.000");
    }

    /// <summary>
    /// A background GC's wall time while the app ran alongside it: from the end of its first pause
    /// to its GCEnd, less the pauses in between.
    /// </summary>
    private static TimeSpan? Concurrent(GcRecord gc)
    {
        if (gc.Pauses.Count == 0 || gc.Pauses[0].RestartEnd == 0 || !gc.HasEnded) return null;

        var wall = gc.EndTicks - gc.Pauses[0].RestartEnd;
        for (var i = 1; i < gc.Pauses.Count; i++)
        {
            if (gc.Pauses[i].Total is not { } pause) return null;
            if (gc.Pauses[i].RestartEnd <= gc.EndTicks) wall -= pause.Ticks;
        }

        return wall < 0 ? null : TimeSpan.FromTicks(wall);
    }

    private static void AppendNumber(StringBuilder line, double? value, string format)
    {
        if (value is { } number) line.Append(number.ToString(format, CultureInfo.InvariantCulture));
        else line.Append('?');
    }
}
