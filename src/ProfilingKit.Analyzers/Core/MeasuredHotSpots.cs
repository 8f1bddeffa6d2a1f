using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Analyzers;

/// <summary>
/// The measured hot places: the rows of the hot-spot summaries (<c>*.hotspots.txt</c>, written by
/// ProfilingKit's test-profile task, format v1 in docs/test-profiles.md) that the project passes as
/// AdditionalFiles. Read once per set of analyzer options, that is once per compilation.
/// </summary>
internal sealed class MeasuredHotSpots
{
    /// <summary>.editorconfig key: the smallest share of a run's allocations that makes a line hot (default 0.01).</summary>
    public const string MinimumShareKey = "profilingkit.measured_hot_min_share";
    public const double DefaultMinimumShare = 0.01;

    private static readonly ConditionalWeakTable<AnalyzerOptions, MeasuredHotSpots> ByOptions = new();
    private static readonly ConditionalWeakTable<AnalyzerOptions, MeasuredHotSpots>.CreateValueCallback Read = options => new MeasuredHotSpots(options);

    private readonly Dictionary<string, List<MeasuredHotSpot>> _byFile = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<SyntaxTree, LineSpots> _byTree = new();

    private MeasuredHotSpots(AnalyzerOptions options)
    {
        var problems = ImmutableArray.CreateBuilder<SummaryProblem>();
        foreach (var file in options.AdditionalFiles)
        {
            if (!file.Path.EndsWith(HotSpotSummaryFormat.FileSuffix, StringComparison.OrdinalIgnoreCase)) continue;
            ReadSummary(file, problems);
        }

        Problems = problems.ToImmutable();
    }

    /// <summary>Summaries that could not be read, or rows that were skipped, with why.</summary>
    public ImmutableArray<SummaryProblem> Problems { get; }

    public bool IsEmpty => _byFile.Count == 0;

    public static MeasuredHotSpots For(AnalyzerOptions options) => ByOptions.GetValue(options, Read);

    /// <summary>The rows of <paramref name="tree"/> at or above the tree's minimum share, with the span of their line.</summary>
    public ImmutableArray<(MeasuredHotSpot Spot, TextSpan LineSpan)> In(SyntaxTree tree, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (IsEmpty || !_byFile.TryGetValue(Normalize(tree.FilePath), out var rows)) return ImmutableArray<(MeasuredHotSpot, TextSpan)>.Empty;
        if (_byTree.TryGetValue(tree, out var cached)) return cached.Spots;

        var minimum = MinimumShare(options, tree);
        var lines = tree.GetText(cancellationToken).Lines;
        var spots = ImmutableArray.CreateBuilder<(MeasuredHotSpot, TextSpan)>();
        foreach (var row in rows)
        {
            if (row.Share >= minimum && row.Line <= lines.Count) spots.Add((row, lines[row.Line - 1].Span));
        }

        return _byTree.GetValue(tree, _ => new LineSpots(spots.ToImmutable())).Spots;
    }

    /// <summary>The row with the most bytes whose line lies in <paramref name="span"/>, or null.</summary>
    public MeasuredHotSpot? Within(SyntaxTree tree, TextSpan span, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        MeasuredHotSpot? hottest = null;
        foreach (var (spot, lineSpan) in In(tree, options, cancellationToken))
        {
            if (span.IntersectsWith(lineSpan) && (hottest is null || spot.Bytes > hottest.Bytes)) hottest = spot;
        }

        return hottest;
    }

    private static double MinimumShare(AnalyzerOptions options, SyntaxTree tree) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(MinimumShareKey, out var text)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share >= 0
            ? share
            : DefaultMinimumShare;

    private void ReadSummary(AdditionalText file, ImmutableArray<SummaryProblem>.Builder problems)
    {
        var text = file.GetText();
        if (text is null)
        {
            problems.Add(new SummaryProblem(file.Path, 0, "the file could not be read"));
            return;
        }

        var lines = text.Lines;
        if (lines.Count == 0 || !HotSpotSummaryFormat.IsFormatLine(lines[0].ToString().Trim()))
        {
            problems.Add(new SummaryProblem(file.Path, 1, $"it does not start with '{HotSpotSummaryFormat.FormatLine}'; is it a hot-spot summary written by ProfilingKit's test profiles?"));
            return;
        }

        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i].ToString();
            if (line.Length == 0 || line[0] == '#') continue;

            if (TryParseRow(line, out var row)) Add(row);
            else problems.Add(new SummaryProblem(file.Path, i + 1, $"the row is not '{HotSpotSummaryFormat.RowShape}'; it was skipped"));
        }
    }

    private static bool TryParseRow(string line, out MeasuredHotSpot row)
    {
        var parsed = HotSpotSummaryFormat.TryParseRow(line, out var function, out var file, out var lineNumber, out var bytes, out var share);
        row = new MeasuredHotSpot(function, file, lineNumber, bytes, share);
        return parsed;
    }

    private void Add(MeasuredHotSpot row)
    {
        var key = Normalize(row.File);
        if (!_byFile.TryGetValue(key, out var rows)) _byFile[key] = rows = [];
        rows.Add(row);
    }

    /// <summary>Summaries written on Windows carry backslashes; compilers on Windows may pass either.</summary>
    private static string Normalize(string path) => path.Replace('\\', '/');

    private sealed class LineSpots(ImmutableArray<(MeasuredHotSpot Spot, TextSpan LineSpan)> spots)
    {
        public ImmutableArray<(MeasuredHotSpot Spot, TextSpan LineSpan)> Spots { get; } = spots;
    }
}
