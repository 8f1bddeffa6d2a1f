using System.Globalization;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary>The lines above every report, as go tool pprof prints them (google/pprof report.ProfileLabels).</summary>
internal static class ReportHeader
{
    /// <summary>File, Build ID, comments, Type, Time and Duration, each when the profile has it.</summary>
    public static List<string> ProfileLines(Profile profile, string sampleType, string sampleUnit, long total, Func<long, string> format)
    {
        var lines = new List<string>();
        if (profile.Mapping.Count > 0)
        {
            var file = Text(profile, profile.Mapping[0].Filename);
            if (file.Length > 0) lines.Add("File: " + Path.GetFileName(file));
            var buildId = Text(profile, profile.Mapping[0].BuildId);
            if (buildId.Length > 0) lines.Add("Build ID: " + buildId);
        }

        // Newer pprof hides comments starting with '#'; Go 1.19's shows all. We follow the newer one.
        lines.AddRange(profile.Comment.Select(c => Text(profile, c)).Where(c => !c.StartsWith('#')));
        lines.Add("Type: " + sampleType);
        if (profile.TimeNanos != 0)
        {
            // Go prints local time with the zone's abbreviation; .NET has no abbreviations, so UTC.
            var time = DateTimeOffset.FromUnixTimeMilliseconds(profile.TimeNanos / 1_000_000).UtcDateTime;
            lines.Add("Time: " + time.ToString("MMM d, yyyy 'at' h:mmtt", CultureInfo.InvariantCulture).Replace("AM", "am").Replace("PM", "pm") + " (UTC)");
        }

        if (profile.DurationNanos != 0)
        {
            var duration = Measurement.Label(profile.DurationNanos, "nanoseconds");
            var (totalNanos, unit) = Measurement.Scale(total, sampleUnit, "nanoseconds");
            var ratio = unit == "ns" && totalNanos != 0 ? "(" + Measurement.Percentage((long)totalNanos, profile.DurationNanos) + ")" : "";
            lines.Add($"Duration: {duration}, Total samples = {format(total)} {ratio}");
        }

        return lines;
    }

    /// <summary>pprof's "Active filters:" legend, one filter a line, each cut at 80 characters.</summary>
    public static IEnumerable<string> ActiveFilters(ToolOptions options)
    {
        var filters = new List<string>();
        if (options.Focus is not null) filters.Add("focus=" + options.Focus);
        if (options.Ignore is not null) filters.Add("ignore=" + options.Ignore);
        if (options.TagFocus is not null) filters.Add("tagfocus=" + options.TagFocus);
        if (options.TagIgnore is not null) filters.Add("tagignore=" + options.TagIgnore);
        if (filters.Count == 0) yield break;
        yield return "Active filters:";
        foreach (var filter in filters) yield return "   " + (filter.Length > 80 ? filter[..80] + "…" : filter);
    }

    private static string Text(Profile profile, long index) =>
        index > 0 && index < profile.StringTable.Count ? profile.StringTable[(int)index] : "";
}
