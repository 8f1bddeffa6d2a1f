using System;
using System.Globalization;
using System.Text;

namespace ProfilingKit;

/// <summary>
/// The hot-spot summary format (v2, docs/test-profiles.md), defined once: the MSBuild task writes it
/// and the analyzers read it. A header of '#' lines, then one tab-separated row per allocation site:
/// <c>function, file, line, bytes, share, samples, bytes_low, tests</c> (v1 rows, the first five
/// columns, still read). Compiled into both (the analyzers are netstandard2.0 and load no assembly
/// of ours), so it uses nothing newer than netstandard2.0 has.
/// </summary>
internal static class HotSpotSummaryFormat
{
    /// <summary>The first line, naming the format and its version.</summary>
    public const string FormatLine = "# ProfilingKit hot-spot summary v2";

    /// <summary>The first line of summaries written before v2, whose rows have the first five columns only.</summary>
    public const string FormatLineV1 = "# ProfilingKit hot-spot summary v1";

    /// <summary>Whether <paramref name="line"/> starts a summary this version reads.</summary>
    public static bool IsFormatLine(string line) => line == FormatLine || line == FormatLineV1;

    /// <summary>The file name's ending: <c>X.allocs.pb.gz</c> has <c>X.hotspots.txt</c> beside it.</summary>
    public const string FileSuffix = ".hotspots.txt";

    /// <summary>The header line that names the columns.</summary>
    public const string ColumnsLine = "# function\tfile\tline\tbytes\tshare\tsamples\tbytes_low\ttests";

    /// <summary>What a malformed row is told to be, in problems reported about it.</summary>
    public const string RowShape = "function<TAB>file<TAB>line<TAB>bytes<TAB>share[<TAB>samples<TAB>bytes_low<TAB>tests]";

    /// <summary>Appends the header: the format line, the profile it summarizes, the run's total and the column names.</summary>
    public static void AppendHeader(StringBuilder text, string profilePath, long totalBytes)
    {
        text.Append(FormatLine).Append('\n');
        text.Append("# profile: ").Append(profilePath).Append('\n');
        text.Append("# total_alloc_bytes: ").Append(totalBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(ColumnsLine).Append('\n');
    }

    /// <summary>
    /// Appends one row, '\n'-terminated, invariant numbers: the site, its estimated bytes and share of the run,
    /// the runtime samples the estimate rests on, its 95% lower bound, and the tests that allocated there
    /// (<c>Name 81%</c>, comma-separated, most first; empty without test labels).
    /// </summary>
    public static void AppendRow(StringBuilder text, string function, string file, long line, long bytes, double share, long samples, long lowBytes, string tests)
    {
        text.Append(function).Append('\t')
            .Append(file).Append('\t')
            .Append(line.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(bytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(share.ToString("0.0000", CultureInfo.InvariantCulture)).Append('\t')
            .Append(samples.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(lowBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
            .Append(tests).Append('\n');
    }

    /// <summary>Reads one row's first five columns; false for anything but five (v1) or eight (v2) fields of the right kinds.</summary>
    public static bool TryParseRow(string line, out string function, out string file, out int lineNumber, out long bytes, out double share)
    {
        function = file = string.Empty;
        lineNumber = 0;
        bytes = 0;
        share = 0;
        var fields = line.Split('\t');
        if ((fields.Length != 5 && fields.Length != 8) || fields[0].Length == 0 || fields[1].Length == 0) return false;
        if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out lineNumber) || lineNumber < 1) return false;
        if (!long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out bytes)) return false;
        if (!double.TryParse(fields[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out share) || share > 1) return false;

        function = fields[0];
        file = fields[1];
        return true;
    }

    /// <summary>"1.2 GB", "97.7 MB", "512 B": powers of 1024, as go tool pprof counts them.</summary>
    public static string FormatBytes(double bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        var value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var number = unit == 0 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString(Math.Abs(value) >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);
        return number + " " + units[unit];
    }

    /// <summary>"41%", "0.5%".</summary>
    public static string FormatShare(double share) => (share * 100).ToString(share >= 0.1 ? "F0" : "0.#", CultureInfo.InvariantCulture) + "%";
}
