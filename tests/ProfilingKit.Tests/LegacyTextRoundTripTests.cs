namespace ProfilingKit.Tests;

/// <summary>The debug=1 texts of the busy app's profiles, read back by go tool pprof to the binary profiles' totals.</summary>
[Collection(BusyAppCollection.Name)]
public class LegacyTextRoundTripTests
{
    private readonly BusyAppFixture _app;

    public LegacyTextRoundTripTests(BusyAppFixture app) => _app = app;

    [Theory]
    [InlineData("block", "contentions")]
    [InlineData("block", "delay")]
    [InlineData("mutex", "contentions")]
    [InlineData("mutex", "delay")]
    [InlineData("goroutine", "goroutine")]
    [InlineData("threadcreate", "threadcreate")]
    public Task Debug_1_text_read_by_go_tool_pprof_has_the_binary_profiles_total(string profile, string sampleIndex) =>
        LegacyTextRoundTrip.AssertSameTotalsAsync(_app.Url(profile), sampleIndex);
}
