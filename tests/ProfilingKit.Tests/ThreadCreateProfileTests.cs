using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>The threadcreate profile (the stacks that started managed threads) of a process that starts its busy threads in one known method.</summary>
[Collection(BusyAppCollection.Name)]
public class ThreadCreateProfileTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;

    public ThreadCreateProfileTests(BusyAppFixture app) => _app = app;

    [Fact]
    public void Go_tool_pprof_top_of_threadcreate_shows_the_method_that_started_the_busy_threads()
    {
        var result = GoPprof.Run("-top", _app.Url("threadcreate")).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("threadcreate", report.Type);
        Assert.Equal(6, report.Row(AllocatingAppProcess.StartingMethod).Cum); // BusyWork.Start starts six threads
        Assert.Contains("ThreadCreating", result.StandardOutput);
        Assert.DoesNotContain("ProfilingKit.", result.StandardOutput.Replace("ProfilingKit: ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Threadcreate_has_gos_types_debug_1_text_and_a_delta()
    {
        using (var response = await Http.GetAsync(_app.Url("threadcreate")))
        {
            var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
            Assert.Equal(new[] { "threadcreate/count" }, ProfileMerge.SampleTypeNames(profile));
            Assert.Equal("threadcreate", profile.StringTable[(int)profile.PeriodType.Type]);
        }

        var text = await Http.GetStringAsync(_app.Url("threadcreate?debug=1"));
        Assert.Matches(@"^threadcreate profile: total [1-9]\d*\n", text);
        Assert.Matches(@"\n6 @( 0x[0-9a-f]+)+\n(#.*\n)*#\t0x[0-9a-f]+\tAllocatingApp\.BusyWork\.Start\+0x[0-9a-f]+\t.*BusyWork\.cs:\d+\n", text);

        using var delta = await Http.GetAsync(_app.Url("threadcreate?seconds=1"));
        Assert.Equal("attachment; filename=\"threadcreate-delta\"", delta.Content.Headers.ContentDisposition?.ToString());
    }

    [Theory]
    [InlineData("threadcreate?debug=x", "invalid value for \"debug\" - must be a non-negative integer")]
    [InlineData("threadcreate?seconds=1&debug=2", "seconds and debug params are incompatible")]
    public async Task Bad_threadcreate_queries_get_gos_400(string path, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }
}
