using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// pprof's <c>-diff_base</c>: the base profile's samples, marked with the <c>pprof::base</c> label
/// and negated, merged with the new profile's, so a function's values are what it grew (positive)
/// or shrank (negative), and percentages are of the base's total.
/// </summary>
public static class ProfileDiff
{
    /// <summary>The difference <paramref name="current"/> minus <paramref name="baseline"/> as one profile; the inputs are not changed.</summary>
    /// <exception cref="ArgumentException">The two profiles have different sample types.</exception>
    public static Profile Against(Profile baseline, Profile current)
    {
        if (baseline is null) throw new ArgumentNullException(nameof(baseline));
        if (current is null) throw new ArgumentNullException(nameof(current));

        var negated = ProfileScale.Scaled(baseline, baseline.SampleType.Select(_ => -1.0).ToList());
        var key = IndexOf(negated, CallGraph.DiffBaseLabel);
        var value = IndexOf(negated, "true");
        foreach (var sample in negated.Sample)
        {
            sample.Label.Add(new Label { Key = key, Str = value });
        }

        return ProfileMerge.Merge([current, negated]);
    }

    private static long IndexOf(Profile profile, string text)
    {
        var index = profile.StringTable.IndexOf(text);
        if (index > 0) return index;
        profile.StringTable.Add(text);
        return profile.StringTable.Count - 1;
    }
}
