using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.Tests;

/// <summary>One gctrace line parsed back into numbers; a <c>?</c> field is null.</summary>
internal sealed record TracedGcLine(
    int Number,
    double UptimeSeconds,
    double? PausePercent,
    int Generation,
    string Reason,
    string Kind,
    double?[] FirstPause,
    double?[]? FinalPause,
    double? ConcurrentMs,
    double? HeapBeforeMb,
    double? HeapAfterMb,
    double? PromotedMb,
    double? Gen0BudgetMb,
    int? Heaps)
{
    private const string N = @"(\?|\d+(?:\.\d+)?)";

    private static readonly Regex Line = new(
        $@"^gc (?<n>\d+) @(?<up>\d+\.\d+)s (?<pct>{N})%: gen(?<gen>\d) (?<reason>\w+) (?<kind>\w+), " +
        $@"(?<p1>{N}\+{N}\+{N}) ms clock(?:, (?<p2>{N}\+{N}\+{N}) ms final, (?<conc>{N}) ms concurrent)?, " +
        $@"(?<before>{N})->(?<after>{N}) MB, (?<promoted>{N}) MB promoted, (?<budget>{N}) MB gen0 budget, (?<heaps>{N}) heaps$",
        RegexOptions.CultureInvariant);

    /// <summary>The lines of <paramref name="stderr"/> that start with "gc ", each of which must parse.</summary>
    public static List<TracedGcLine> ParseAll(string stderr) =>
        stderr.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("gc ", StringComparison.Ordinal)).Select(Parse).ToList();

    public static TracedGcLine Parse(string text)
    {
        var m = Line.Match(text);
        if (!m.Success) throw new FormatException("not a gctrace line: " + text);

        return new TracedGcLine(
            int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["up"].Value, CultureInfo.InvariantCulture),
            Value(m.Groups["pct"].Value),
            int.Parse(m.Groups["gen"].Value, CultureInfo.InvariantCulture),
            m.Groups["reason"].Value,
            m.Groups["kind"].Value,
            Phases(m.Groups["p1"].Value),
            m.Groups["p2"].Success ? Phases(m.Groups["p2"].Value) : null,
            m.Groups["conc"].Success ? Value(m.Groups["conc"].Value) : null,
            Value(m.Groups["before"].Value),
            Value(m.Groups["after"].Value),
            Value(m.Groups["promoted"].Value),
            Value(m.Groups["budget"].Value),
            Value(m.Groups["heaps"].Value) is { } heaps ? (int)heaps : null);
    }

    private static double?[] Phases(string text) => text.Split('+').Select(Value).ToArray();

    private static double? Value(string text) =>
        text == "?" ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
