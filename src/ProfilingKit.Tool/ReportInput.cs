using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary>
/// The profile a report works on, prepared as go tool pprof prepares it: read (for a diff, NEW
/// minus BASE), filtered by -focus/-ignore/-tagfocus/-tagignore (a filter that matches nothing is
/// a warning, as in Go), async plumbing folded where asked, and the sample type picked.
/// </summary>
internal sealed class ReportInput
{
    private ReportInput(Profile profile, int valueIndex, long total)
    {
        Profile = profile;
        ValueIndex = valueIndex;
        Total = total;
        SampleType = SampleIndex.TypeNames(profile)[valueIndex];
        SampleUnit = SampleIndex.Unit(profile, valueIndex);
    }

    public Profile Profile { get; }

    public int ValueIndex { get; }

    public string SampleType { get; }

    public string SampleUnit { get; }

    /// <summary>The total before any filter, as pprof's percentages use it (without -relative_percentages).</summary>
    public long Total { get; }

    /// <summary>The call graph of the prepared profile, with the unfiltered total; <paramref name="withCalls"/> for reports that show callers and callees.</summary>
    public CallGraph Graph(bool withCalls) => CallGraph.Build(Profile, ValueIndex, Total, withCalls);

    public long Value(Sample sample) => sample.Value[ValueIndex];

    /// <summary>Reads and prepares the profile; <paramref name="foldAsync"/> applies -async (the reports that fold by default).</summary>
    public static ReportInput Prepare(Tool tool, ToolOptions options, bool foldAsync)
    {
        var profile = WithoutEmptySamples(Load(tool, options));
        int valueIndex;
        try
        {
            valueIndex = SampleIndex.Resolve(profile, options.SampleIndex);
        }
        catch (ArgumentException e)
        {
            throw new ToolException(e.Message.Split(" (Parameter")[0]);
        }

        var total = CallGraph.TotalOf(profile, valueIndex);
        var tagFocus = ParseTagFilter(tool, "tagfocus", options.TagFocus);
        var tagIgnore = ParseTagFilter(tool, "tagignore", options.TagIgnore);
        if (options.Focus is not null || options.Ignore is not null || tagFocus is not null || tagIgnore is not null)
        {
            var result = ProfileFilter.Apply(profile, options.Focus, options.Ignore, tagFocus, tagIgnore);
            Warn(tool, options.Focus is null || result.FocusMatched, "Focus");
            Warn(tool, options.Ignore is null || result.IgnoreMatched, "Ignore");
            Warn(tool, tagFocus is null || result.TagFocusMatched, "TagFocus");
            Warn(tool, tagIgnore is null || result.TagIgnoreMatched, "TagIgnore");
            profile = result.Profile;
        }

        if (foldAsync && options.AsyncFolding) profile = AsyncFrames.Fold(profile);
        return new ReportInput(profile, valueIndex, total);
    }

    /// <summary>pprof merges what it reads, which drops samples whose values are all zero; no report shows them.</summary>
    private static Profile WithoutEmptySamples(Profile profile)
    {
        var kept = profile.Sample.Where(s => s.Value.Any(v => v != 0)).ToList();
        if (kept.Count == profile.Sample.Count) return profile;
        profile.Sample.Clear();
        profile.Sample.AddRange(kept);
        return profile;
    }

    private static Profile Load(Tool tool, ToolOptions options)
    {
        var sources = new ProfileSources(tool.Status, tool.Interactive);
        if (options.DiffBase is null && options.Command != "diff") return tool.LoadSingle(options);

        var (basePath, newPath) = options.DiffBase is { } diffBase && options.Sources.Count == 1
            ? (diffBase, options.Sources[0])
            : options.Sources.Count == 2 && options.DiffBase is null
                ? (options.Sources[0], options.Sources[1])
                : throw new ToolException("diff needs two profiles: dotnet pprof diff BASE NEW (or -diff_base BASE NEW)");
        var baseline = sources.Load(basePath, options.Seconds);
        var current = sources.Load(newPath, options.Seconds);
        try
        {
            return ProfileDiff.Against(baseline, current);
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"{basePath} and {newPath} cannot be compared: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    private static TagFilter? ParseTagFilter(Tool tool, string flag, string? text)
    {
        if (text is null) return null;
        try
        {
            var filter = TagFilter.Parse(text);
            if (filter.IsRange) tool.Status.WriteLine($"{flag}:Interpreted '{text[(text.IndexOf('=') + 1)..]}' as range, not regexp");
            return filter;
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"parsing {flag} regexp: {e.Message}");
        }
    }

    private static void Warn(Tool tool, bool matched, string option)
    {
        if (!matched) tool.Status.WriteLine(option + " expression matched no samples");
    }
}
