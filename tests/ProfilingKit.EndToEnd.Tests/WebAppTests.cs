using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>An ASP.NET Core app from the packed package: the profiles on its own port, behind its own authorization.</summary>
public class WebAppTests : IClassFixture<WebApps>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly WebApps _web;

    public WebAppTests(WebApps web) => _web = web;

    public static TheoryData<string, string> Profiles => new()
    {
        { "allocs", "alloc_space" },
        { "heap", "inuse_space" },
        { "profile?seconds=1", "cpu" },
        { "goroutine", "goroutine" },
        { "block", "delay" },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Kestrel_answers_401_without_credentials_and_the_profile_with_them(string path, string defaultType)
    {
        using var anonymous = await Http.GetAsync(_web.KestrelUrl("/debug/pprof/" + path));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var top = GoPprof.ParseTop(GoPprof.Run("-top", _web.AuthenticatedUrl("/debug/pprof/" + path)).EnsureSuccess().StandardOutput);
        Assert.Equal(defaultType, top.Type);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_standalone_listener_serves_the_same_profiles(string path, string defaultType)
    {
        var top = GoPprof.ParseTop(GoPprof.Run("-top", _web.ListenerUrl("/debug/pprof/" + path)).EnsureSuccess().StandardOutput);
        Assert.Equal(defaultType, top.Type);
    }

    [Fact]
    public void The_request_handling_code_leads_allocs_by_cum()
    {
        var output = GoPprof.Run("-top", "-cum", _web.AuthenticatedUrl("/debug/pprof/allocs")).EnsureSuccess().StandardOutput;
        var top = GoPprof.ParseTop(output);

        // 300 requests of about 40 KB each: the request path holds most of what the app allocated since
        // start, but for the 30 MB it keeps alive for the heap tests.
        var request = top.Rows.Single(row => row.Name == WebApps.RequestMethod);
        var retained = top.Rows.Single(row => row.Name == WebApps.RetainingMethod).Cum;
        Assert.True(request.Cum >= 0.5 * (top.Total - retained), $"the request path should hold most of the allocations:\n{output}");
        Assert.True(request.Cum >= WebApps.LoadRequests * 20_000, $"300 requests of ~40 KB should show:\n{output}");
    }

    [Fact]
    public async Task Kestrel_and_the_listener_send_the_same_index_and_errors()
    {
        var kestrel = await GetAuthenticated(_web.KestrelUrl("/debug/pprof/"));
        var listener = await Http.GetAsync(_web.ListenerUrl("/debug/pprof/"));
        Assert.Equal(HttpStatusCode.OK, kestrel.StatusCode);
        Assert.Equal("text/html; charset=utf-8", kestrel.Content.Headers.ContentType?.ToString());
        Assert.Contains("<a href='allocs?debug=1'>allocs</a>", await kestrel.Content.ReadAsStringAsync());
        Assert.Contains("<a href='allocs?debug=1'>allocs</a>", await listener.Content.ReadAsStringAsync());

        using var kestrelError = await GetAuthenticated(_web.KestrelUrl("/debug/pprof/heap?debug=-1"));
        using var listenerError = await Http.GetAsync(_web.ListenerUrl("/debug/pprof/heap?debug=-1"));
        foreach (var error in new[] { kestrelError, listenerError })
        {
            Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
            Assert.Equal("1", Assert.Single(error.Headers.GetValues("X-Go-Pprof")));
            Assert.Equal("invalid value for \"debug\" - must be a non-negative integer\n", await error.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Below_a_map_group_the_profiles_are_at_the_groups_prefix_and_the_bare_mount_redirects()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var bare = new HttpRequestMessage(HttpMethod.Get, _web.KestrelUrl("/admin/debug/pprof"));
        bare.Headers.Authorization = Credentials;
        using var redirect = await noRedirects.SendAsync(bare);
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/admin/debug/pprof/", redirect.Headers.Location?.ToString());

        var raw = GoPprof.Run("-raw", $"http://{WebApps.User}:{WebApps.Password}@127.0.0.1:{_web.KestrelPort}/admin/debug/pprof/allocs").EnsureSuccess().StandardOutput;
        Assert.Contains("alloc_space/bytes[dflt]", raw);
        using var anonymous = await Http.GetAsync(_web.KestrelUrl("/admin/debug/pprof/allocs"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public void Options_come_from_the_apps_configuration_and_log_lines_go_to_its_logger()
    {
        var raw = GoPprof.Run("-raw", _web.AuthenticatedUrl("/debug/pprof/profile?seconds=5")).EnsureSuccess().StandardOutput;

        // appsettings.json says "ProfilingKit": { "MaxProfileSeconds": 2 }.
        Assert.Contains("the window was cut to the endpoint's maximum of 2 s", raw);
        Assert.Contains("info: ProfilingKit[0]", _web.StartupOutput);
        Assert.Contains("Serving profiles at /debug/pprof/ on the app's own server", _web.StartupOutput);
    }

    [Fact]
    public async Task Under_server_gc_with_two_heaps_the_heap_through_kestrel_is_the_whole_live_heap()
    {
        var port = FreePort.Next();
        var (app, _) = WebApps.Start(_web.Output, port, new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCHeapCount"] = "2" });
        using (app)
        {
            // The truth is read just before and just after the profile: the requests themselves move it a little
            // (once by 0.7 MB of 33.8 MB, under CI's load), and the snapshot must lie within what it spans.
            async Task<double> LiveHeap() => double.Parse(await Http.GetStringAsync($"http://127.0.0.1:{port}/live-heap"), System.Globalization.CultureInfo.InvariantCulture);
            var before = await LiveHeap();
            var output = GoPprof.Run("-top", "-sample_index=inuse_space", $"http://{WebApps.User}:{WebApps.Password}@127.0.0.1:{port}/debug/pprof/heap").EnsureSuccess().StandardOutput;
            var after = await LiveHeap();

            var snapshot = GoPprof.ParseTop(output).Total!.Value;
            Assert.True(before > 30e6, $"the app retains 30 MB, GC.GetTotalMemory(true) said {before}");
            Assert.True(snapshot >= 0.98 * Math.Min(before, after) && snapshot <= 1.02 * Math.Max(before, after),
                $"GC.GetTotalMemory(true) said {before} bytes before and {after} after, the heap profile {snapshot}:\n{output}");
        }
    }

    [Fact]
    public void Go_tool_pprof_reaches_the_apps_port_by_localhost_as_in_the_seed_post()
    {
        var output = GoPprof.Run("-top", $"http://{WebApps.User}:{WebApps.Password}@localhost:{_web.KestrelPort}/debug/pprof/allocs").EnsureSuccess().StandardOutput;

        Assert.Equal("alloc_space", GoPprof.ParseTop(output).Type);
    }

    [Fact]
    public async Task A_continuous_profilers_schedule_against_both_hosts_at_once_refuses_no_request()
    {
        // Grafana Alloy's pyroscope.scrape: profile?seconds=14, allocs, goroutine, block and mutex every 15 s,
        // the requests of a scrape at once. Here a 4 s cycle with a 3 s CPU window, two cycles, on both hosts:
        // the same overlaps in a bounded time.
        var paths = new[] { "profile?seconds=3", "allocs", "goroutine", "block", "mutex" };
        var requests = new List<Task<(string Url, HttpStatusCode Status)>>();
        for (var cycle = 0; cycle < 2; cycle++)
        {
            foreach (var path in paths)
            {
                requests.Add(Fetch(_web.KestrelUrl("/debug/pprof/" + path), authenticated: true));
                requests.Add(Fetch(_web.ListenerUrl("/debug/pprof/" + path), authenticated: false));
            }

            await Task.Delay(TimeSpan.FromSeconds(4));
        }

        var results = await Task.WhenAll(requests);
        Assert.All(results, result => Assert.True(result.Status == HttpStatusCode.OK, $"{result.Url}: {result.Status}"));

        static async Task<(string, HttpStatusCode)> Fetch(string url, bool authenticated)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (authenticated) request.Headers.Authorization = Credentials;
            using var response = await Http.SendAsync(request);
            return (url, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_profiles_are_left_out_of_openapi_descriptions()
    {
        var described = await Http.GetStringAsync(_web.KestrelUrl("/described"));

        Assert.Contains("/work", described);
        Assert.DoesNotContain("pprof", described);
    }

    private static AuthenticationHeaderValue Credentials => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WebApps.User}:{WebApps.Password}")));

    private static Task<HttpResponseMessage> GetAuthenticated(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = Credentials;
        return Http.SendAsync(request);
    }
}
