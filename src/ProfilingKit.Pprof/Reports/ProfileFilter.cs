using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// pprof's sample filters at view time: <c>-focus</c> keeps a sample when any frame matches,
/// <c>-ignore</c> drops it when any frame matches (a frame matches by function name, file name or
/// the mapping's binary, as google/pprof's FilterSamplesByName), and <c>-tagfocus</c> /
/// <c>-tagignore</c> do the same with the sample's labels (<see cref="TagFilter"/>).
/// </summary>
public static class ProfileFilter
{
    /// <summary>A copy of <paramref name="profile"/> with only the samples the filters keep, and which filters matched anything.</summary>
    public static ProfileFilterResult Apply(Profile profile, Regex? focus, Regex? ignore, TagFilter? tagFocus = null, TagFilter? tagIgnore = null)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        var filtered = profile.Clone();
        bool focusMatched = false, ignoreMatched = false, tagFocusMatched = false, tagIgnoreMatched = false;
        if (focus is not null || ignore is not null)
        {
            var verdicts = LocationVerdicts(filtered, focus, ignore, ref focusMatched, ref ignoreMatched);
            Keep(filtered, sample => FocusedAndNotIgnored(sample, verdicts));
        }

        if (tagFocus is not null || tagIgnore is not null)
        {
            var labels = new SampleLabels(filtered);
            Keep(filtered, sample =>
            {
                var focused = tagFocus?.Matches(labels, sample) ?? true;
                var ignored = tagIgnore?.Matches(labels, sample) ?? false;
                tagFocusMatched |= focused;
                tagIgnoreMatched |= ignored;
                return focused && !ignored;
            });
        }

        return new ProfileFilterResult(filtered, focusMatched, ignoreMatched, tagFocusMatched, tagIgnoreMatched);
    }

    /// <summary>Per location: true when it matches focus, false when it matches ignore (which wins), absent when neither.</summary>
    private static Dictionary<ulong, bool> LocationVerdicts(Profile profile, Regex? focus, Regex? ignore, ref bool focusMatched, ref bool ignoreMatched)
    {
        var functions = profile.Function.ToDictionary(f => f.Id);
        var mappings = profile.Mapping.ToDictionary(m => m.Id, m => ProfileFrames.StringAt(profile, m.Filename));
        var verdicts = new Dictionary<ulong, bool>();
        foreach (var location in profile.Location)
        {
            bool Matches(Regex regex) =>
                location.Line.Any(line => functions.TryGetValue(line.FunctionId, out var f)
                    && (regex.IsMatch(ProfileFrames.StringAt(profile, f.Name)) || regex.IsMatch(ProfileFrames.StringAt(profile, f.Filename))))
                || (mappings.TryGetValue(location.MappingId, out var file) && regex.IsMatch(file));

            if (ignore is not null && Matches(ignore))
            {
                ignoreMatched = true;
                verdicts[location.Id] = false;
            }
            else if (focus is null || Matches(focus))
            {
                focusMatched = true;
                verdicts[location.Id] = true;
            }
        }

        return verdicts;
    }

    private static bool FocusedAndNotIgnored(Sample sample, Dictionary<ulong, bool> verdicts)
    {
        var focused = false;
        foreach (var id in sample.LocationId)
        {
            if (!verdicts.TryGetValue(id, out var verdict)) continue;
            if (!verdict) return false;
            focused = true;
        }

        return focused;
    }

    private static void Keep(Profile profile, Func<Sample, bool> keep)
    {
        var kept = profile.Sample.Where(keep).ToList();
        profile.Sample.Clear();
        profile.Sample.AddRange(kept);
    }
}

/// <summary>The filtered profile and whether each filter matched anything (pprof warns when one did not).</summary>
public sealed class ProfileFilterResult
{
    internal ProfileFilterResult(Profile profile, bool focusMatched, bool ignoreMatched, bool tagFocusMatched, bool tagIgnoreMatched)
    {
        Profile = profile;
        FocusMatched = focusMatched;
        IgnoreMatched = ignoreMatched;
        TagFocusMatched = tagFocusMatched;
        TagIgnoreMatched = tagIgnoreMatched;
    }

    /// <summary>The samples kept.</summary>
    public Profile Profile { get; }

    /// <summary>Some location matched -focus.</summary>
    public bool FocusMatched { get; }

    /// <summary>Some location matched -ignore.</summary>
    public bool IgnoreMatched { get; }

    /// <summary>Some sample matched -tagfocus.</summary>
    public bool TagFocusMatched { get; }

    /// <summary>Some sample matched -tagignore.</summary>
    public bool TagIgnoreMatched { get; }
}
