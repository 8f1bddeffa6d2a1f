using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>Deltas, the index and the endpoint under load, against a process that keeps working.</summary>
[Collection(BusyAppCollection.Name)]
public class BusyEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;

    public BusyEndpointTests(BusyAppFixture app) => _app = app;

    [Fact]
    public void Go_tool_pprof_seconds_on_allocs_gets_a_delta_smaller_than_the_cumulative_profile()
    {
        var cumulative = GoPprof.ParseTop(GoPprof.Run("-top", _app.Url("allocs")).EnsureSuccess().StandardOutput);
        var result = GoPprof.Run("-seconds", "2", "-top", _app.Url("allocs")).EnsureSuccess();

        var delta = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("alloc_space", delta.Type);
        Assert.Matches(@"Duration: 2(\.\d+)?s", result.StandardOutput);
        Assert.True(delta.Total < cumulative.Total, $"delta {delta.Total} should be below the cumulative {cumulative.Total}");
        Assert.InRange(delta.Row(AllocatingAppProcess.ChurningMethod).Cum, 5e6, 60e6); // about 10 MB/s for 2 s
        Assert.DoesNotContain(AllocatingAppProcess.KnownMethod, result.StandardOutput); // it allocated before the window
    }

    [Fact]
    public async Task A_delta_is_named_like_gos_keeps_the_default_type_and_sets_its_duration()
    {
        var profile = await DeltaResponse.FetchAsync(Http, _app.Url("allocs?seconds=1"), "allocs", TimeSpan.FromSeconds(3));

        Assert.All(profile.Sample, sample => Assert.Equal(0, sample.Value[2] + sample.Value[3])); // inuse_* are not subtracted: still zero here
    }

    [Theory]
    [InlineData("allocs?seconds=1&debug=1", HttpStatusCode.BadRequest, "seconds and debug params are incompatible")]
    [InlineData("cmdline", HttpStatusCode.Forbidden, "cmdline is off because a command line can hold secrets; set PROFILINGKIT_PPROF_CMDLINE=1")]
    public async Task Refusals_come_in_gos_form(string path, HttpStatusCode status, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Go-Pprof")));
        Assert.StartsWith(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Symbol_says_symbols_are_available_as_go_does()
    {
        using var get = await Http.GetAsync(_app.Url("symbol"));
        using var post = await Http.PostAsync(_app.Url("symbol"), new StringContent("0x1+0x2"));

        Assert.Equal("num_symbols: 1\n", await get.Content.ReadAsStringAsync());
        Assert.Equal("num_symbols: 1\n", await post.Content.ReadAsStringAsync()); // no managed code at these addresses
    }

    [Fact]
    public async Task The_index_lists_every_profile_with_a_live_count_a_debug_link_and_a_description()
    {
        var html = await Http.GetStringAsync(_app.Url(""));

        foreach (var name in new[] { "allocs", "block", "cmdline", "goroutine", "heap", "mutex", "profile", "symbol", "threadcreate", "trace", "wall" })
        {
            Assert.Contains($"<a href='{name}?debug=1'>{name}</a>", html);
        }

        Assert.Matches(@"<tr><td>[1-9]\d*</td><td><a href='allocs\?debug=1'>", html);
        Assert.Contains("<a href='goroutine?debug=2'>full goroutine stack dump</a>", html);
        Assert.Contains("CPU profile of managed code", html);
        Assert.Contains("Wall-clock profile", html);
        Assert.True(html.IndexOf("'allocs?", StringComparison.Ordinal) < html.IndexOf("'wall?", StringComparison.Ordinal), "rows in name order, as Go's");
    }

    [Fact]
    public async Task Two_hundred_concurrent_index_and_allocs_requests_all_succeed_while_the_app_allocates()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 200 };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };

        var requests = Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await http.GetAsync(_app.Url(i % 2 == 0 ? "" : "allocs"));
            var body = await response.Content.ReadAsByteArrayAsync();
            return (response.StatusCode, Gzip: body.Length > 2 && body[0] == 0x1f && body[1] == 0x8b, Even: i % 2 == 0);
        });
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(results.Where(r => !r.Even), r => Assert.True(r.Gzip));
        Assert.DoesNotContain("failed", _app.App.StandardError);
    }
}
