using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// A <c>-tagfocus</c> / <c>-tagignore</c> value in pprof's forms: <c>key=regex</c> (any string value of
/// that key matches), a bare <c>regex,regex</c> (each must match some <c>key:value</c>), or a numeric
/// range on numeric labels: <c>64kb</c>, <c>:64kb</c>, <c>4mb:</c>, <c>12kb:64mb</c>, optionally after <c>key=</c>.
/// </summary>
public sealed class TagFilter
{
    private static readonly Regex RangePart = new("([+-]?[0-9]+)([a-zA-Z]+)?", RegexOptions.CultureInvariant);
    private readonly Func<SampleLabels, Sample, bool> _matches;

    private TagFilter(string text, bool isRange, Func<SampleLabels, Sample, bool> matches)
    {
        Text = text;
        IsRange = isRange;
        _matches = matches;
    }

    /// <summary>The filter as written.</summary>
    public string Text { get; }

    /// <summary>True when the value was read as a numeric range, not as regular expressions (pprof says so on stderr).</summary>
    public bool IsRange { get; }

    /// <summary>Parses a filter.</summary>
    /// <exception cref="ArgumentException">A part is not a regular expression.</exception>
    public static TagFilter Parse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));

        string? wantKey = null;
        var value = text;
        var equals = text.IndexOf('=');
        if (equals >= 0)
        {
            wantKey = text.Substring(0, equals);
            value = text.Substring(equals + 1);
        }

        var range = ParseRange(value);
        if (range is not null)
        {
            return new TagFilter(text, isRange: true, (labels, sample) =>
                labels.Numbers(sample).Any(n => (wantKey is null || n.Key == wantKey) && range(n.Value, labels.UnitOf(n.Key))));
        }

        var regexes = value.Split(',').Select(part => new Regex(part, RegexOptions.CultureInvariant)).ToList();
        if (wantKey is null)
        {
            return new TagFilter(text, isRange: false, (labels, sample) =>
                regexes.All(regex => labels.Strings(sample).Any(l => regex.IsMatch(l.Key + ":" + l.Value))));
        }

        return new TagFilter(text, isRange: false, (labels, sample) =>
            labels.Strings(sample).Any(l => l.Key == wantKey && regexes.Any(regex => regex.IsMatch(l.Value))));
    }

    /// <summary>Whether <paramref name="sample"/> matches.</summary>
    public bool Matches(SampleLabels labels, Sample sample) => _matches(labels, sample);

    /// <summary>pprof's parseTagFilterRange: null when the text is no range.</summary>
    private static Func<long, string, bool>? ParseRange(string filter)
    {
        var parts = RangePart.Matches(filter).Cast<Match>().Take(2).ToList();
        if (parts.Count == 0) return null;

        var (low, unit) = Measurement.Scale(long.Parse(parts[0].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), parts[0].Groups[2].Value, parts[0].Groups[2].Value);
        (double Value, string Unit) Convert(long v, string u) => Measurement.Scale(v, u, unit);
        if (parts.Count == 1)
        {
            var match = parts[0].Value;
            if (filter == match) return (v, u) => Convert(v, u) is var c && c.Unit == unit && c.Value == low;
            if (filter == match + ":") return (v, u) => Convert(v, u) is var c && c.Unit == unit && c.Value >= low;
            if (filter == ":" + match) return (v, u) => Convert(v, u) is var c && c.Unit == unit && c.Value <= low;
            return null;
        }

        if (filter != parts[0].Value + ":" + parts[1].Value) return null;
        var (high, highUnit) = Measurement.Scale(long.Parse(parts[1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), parts[1].Groups[2].Value, unit);
        if (highUnit != unit) return null;
        return (v, u) => Convert(v, u) is var c && c.Unit == unit && c.Value >= low && c.Value <= high;
    }
}
