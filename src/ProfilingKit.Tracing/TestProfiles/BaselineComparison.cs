namespace ProfilingKit.TestProfiles;

/// <summary>Something that allocated more than in the baseline run: a function (its own bytes, pprof's flat) or a test.</summary>
internal sealed record Growth(string Kind, string Name, SampledBytes Baseline, SampledBytes Now)
{
    public double Delta => Now.Bytes - Baseline.Bytes;

    /// <summary>The standard error of <see cref="Delta"/>: both runs are sampled.</summary>
    public double DeltaError => Math.Sqrt(Now.Variance + Baseline.Variance);

    public string Message =>
        $"{Kind} '{Name}' allocated {HotSpotSummaryFormat.FormatBytes(Now.Bytes)}, {HotSpotSummaryFormat.FormatBytes(Baseline.Bytes)} in the baseline: " +
        $"+{HotSpotSummaryFormat.FormatBytes(Delta)} ({(Baseline.Bytes > 0 ? $"+{100 * Delta / Baseline.Bytes:0}%" : "new")}; sampling error ± {HotSpotSummaryFormat.FormatBytes(BaselineComparison.Sigmas * DeltaError)}).";
}

/// <summary>
/// This run against a baseline profile, as <c>dotnet pprof diff</c> and <c>go tool pprof -diff_base</c>
/// subtract them, per function and per test: what grew by more than the tolerance, by more than
/// <see cref="Sigmas"/> standard errors of the two runs' sampling, and by more than a floor of the
/// baseline's total, so that an unchanged run, whose estimates differ only by sampling, does not fail.
/// </summary>
internal static class BaselineComparison
{
    /// <summary>The default tolerance: 10% more than the baseline.</summary>
    public const double DefaultTolerance = 0.10;

    /// <summary>Standard errors a growth must exceed: an unchanged function passes with a probability of 99.99%.</summary>
    public const double Sigmas = 4;

    /// <summary>Growths below this share of the baseline's total are too small to gate.</summary>
    public const double Floor = 0.001;

    public static List<Growth> Compare(ProfileSamples now, ProfileSamples baseline, double tolerance)
    {
        var growths = new List<Growth>();
        Add("function", now.By(sample => sample.Leaf), baseline.By(sample => sample.Leaf));
        Add("test", now.By(sample => sample.Test), baseline.By(sample => sample.Test));
        return growths.OrderByDescending(growth => growth.Delta).ToList();

        void Add(string kind, Dictionary<string, SampledBytes> current, Dictionary<string, SampledBytes> before)
        {
            foreach (var (name, bytes) in current)
            {
                var growth = new Growth(kind, name, before.GetValueOrDefault(name), bytes);
                if (growth.Delta > tolerance * growth.Baseline.Bytes
                    && growth.Delta > Sigmas * growth.DeltaError
                    && growth.Delta > Floor * baseline.Total.Bytes)
                {
                    growths.Add(growth);
                }
            }
        }
    }
}
