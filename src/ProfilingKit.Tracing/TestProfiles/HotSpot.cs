namespace ProfilingKit.TestProfiles;

/// <summary>
/// One row of the hot-spot summary: an allocation site, its estimated bytes and share of the run, the runtime
/// samples the estimate rests on, its 95% lower bound, and the tests that allocated there with their shares of the row.
/// </summary>
internal sealed record HotSpot(string Function, string File, long Line, long Bytes, double Share, long Samples = 0, long LowBytes = 0)
{
    public IReadOnlyList<(string Test, double Share)> Tests { get; init; } = [];

    /// <summary>"MyTests.A.B 81%, MyTests.C.D 19%".</summary>
    public string TestsText => string.Join(", ", Tests.Select(test => test.Test + " " + HotSpotSummaryFormat.FormatShare(test.Share)));
}
