using System.Net;
using ProfilingKit.Http;

namespace ProfilingKit.Tests.Http;

/// <summary>The query as Go's handlers read it (r.FormValue), with Go's 400 texts.</summary>
public class PprofQueryTests
{
    [Theory]
    [InlineData("seconds=5", "seconds", "5")]
    [InlineData("seconds=5&seconds=9", "seconds", "5")] // Go's FormValue: the first value
    [InlineData("a=x%2By+z", "a", "x+y z")] // %2B is a plus, + a space
    [InlineData("debug", "debug", "")]
    [InlineData("&&debug=1&", "debug", "1")]
    public void A_parameter_reads_as_gos_form_value(string raw, string name, string expected) =>
        Assert.Equal(expected, new PprofQuery(raw)[name]);

    [Fact]
    public void An_absent_parameter_is_null_and_its_number_zero()
    {
        var query = new PprofQuery("other=1");

        Assert.Null(query["debug"]);
        Assert.Equal(0, query.Debug);
        Assert.False(query.HasSeconds);
    }

    [Theory]
    [InlineData("debug=-1", "invalid value for \"debug\" - must be a non-negative integer")]
    [InlineData("debug=1x", "invalid value for \"debug\" - must be a non-negative integer")]
    public void A_bad_number_is_gos_400(string raw, string message)
    {
        var error = Assert.Throws<PprofRequestException>(() => new PprofQuery(raw).Debug);

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_window_longer_than_the_maximum_is_cut_and_says_so()
    {
        var window = new PprofQuery("seconds=900").Window(30, 300, out var note);

        Assert.Equal(TimeSpan.FromSeconds(300), window);
        Assert.Contains("900 s were requested", note);
        Assert.Equal(TimeSpan.FromSeconds(30), new PprofQuery("").Window(30, 300, out var none));
        Assert.Null(none);
    }

    [Theory]
    [InlineData("seconds=0")]
    [InlineData("seconds=-3")]
    [InlineData("seconds=1.5")]
    public void A_window_is_a_positive_whole_number_of_seconds(string raw) =>
        Assert.Equal("invalid value for \"seconds\" - must be a positive integer", Assert.Throws<PprofRequestException>(() => new PprofQuery(raw).Window(30, 300, out _)).Message);

    [Fact]
    public void A_trace_window_is_a_fraction_of_a_second_if_asked()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), new PprofQuery("seconds=0.5").TraceWindow(300));
        Assert.Equal(TimeSpan.FromSeconds(1), new PprofQuery("").TraceWindow(300));
        Assert.Throws<PprofRequestException>(() => new PprofQuery("seconds=0").TraceWindow(300));
    }
}
