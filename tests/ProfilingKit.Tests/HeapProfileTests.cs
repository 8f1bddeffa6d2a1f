using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>/debug/pprof/heap against an app that retains a known object graph, read by the real go tool pprof.</summary>
public class HeapProfileTests : IClassFixture<RetainingAppFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly RetainingAppFixture _app;

    public HeapProfileTests(RetainingAppFixture app) => _app = app;

    [Fact]
    public void Inuse_space_puts_the_retained_type_first_with_its_size()
    {
        var retained = _app.App.RetainedBytes;
        Assert.True(retained >= 50_000_000, $"the app should retain at least 50 MB, it retained {retained}");

        var result = GoPprof.Run("-top", "-sample_index=inuse_space", _app.Url("heap")).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("inuse_space", report.Type);
        var top = report.Rows.OrderByDescending(r => r.Flat).First();
        Assert.Equal(RetainingAppFixture.RetainedType, top.Name);
        Assert.InRange(top.Flat / retained, 0.98, 1.05); // a snapshot is exact: only pprof's rounding differs
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
    }

    [Fact]
    public void Heap_uses_gos_sample_types_with_inuse_space_as_default_and_keeps_the_allocations()
    {
        var raw = GoPprof.Run("-raw", _app.Url("heap?gc=1")).EnsureSuccess().StandardOutput;

        Assert.Contains("alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes[dflt]", raw);
        Assert.Contains("PeriodType: space bytes", raw);
        Assert.Contains("heap snapshot taken now (gcdump-style)", raw);
        Assert.Matches(@"That GC paused the app for \d+\.\d ms", raw);
        Assert.DoesNotContain("were lost", raw); // the walk's batches arrived without gaps
        Assert.DoesNotContain("did not finish", raw);

        var allocs = GoPprof.ParseTop(GoPprof.Run("-top", "-cum", "-sample_index=alloc_space", _app.Url("heap")).EnsureSuccess().StandardOutput);
        Assert.Contains(allocs.Rows, row => row.Name == AllocatingAppProcess.KnownMethod);
    }

    [Fact]
    public async Task By_stack_says_how_to_turn_the_live_heap_on_where_it_is_off()
    {
        using var response = await Http.GetAsync(_app.Url("heap?by=stack"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("PROFILINGKIT_PPROF_LIVE_HEAP=1", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(_app.Url("heap?by=type"))).StatusCode);
    }

    [Fact]
    public void Inuse_objects_counts_the_retained_arrays()
    {
        var report = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=inuse_objects", _app.Url("heap")).EnsureSuccess().StandardOutput);

        var arrays = _app.App.RetainedBytes / (24 + 1024 * 64);
        Assert.Equal(arrays, report.Row(RetainingAppFixture.RetainedType).Flat);
    }

    /// <summary>The retained type's frame above the live-heap root, in Go's '#	PC	Name+0xOFF	file:line' layout.</summary>
    private static readonly System.Text.RegularExpressions.Regex RetainedTypeRecord = new(
        @"#\t0x[0-9a-f]+\t" + System.Text.RegularExpressions.Regex.Escape(RetainingAppFixture.RetainedType) + @"\+0x0\t\?:0\n#\t0x[0-9a-f]+\t\[live heap\]\+0x0\t\?:0\n");

    [Fact]
    public async Task Heap_debug_1_is_text_with_the_retained_type()
    {
        using var response = await Http.GetAsync(_app.Url("heap?debug=1"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("heap profile: ", text);
        Assert.Matches(RetainedTypeRecord, text);
    }

    [Theory]
    [InlineData("inuse_space")]
    [InlineData("inuse_objects")]
    [InlineData("alloc_space")]
    public Task Heap_debug_1_read_by_go_tool_pprof_has_the_totals_of_the_binary_profile(string sampleIndex) =>
        LegacyTextRoundTrip.AssertSameTotalsAsync(_app.Url("heap"), sampleIndex);

    [Fact]
    public async Task Later_snapshots_still_name_the_types()
    {
        // The runtime describes each type once; the names of the first snapshot must serve the next ones.
        for (var i = 0; i < 3; i++)
        {
            var text = await Http.GetStringAsync(_app.Url("heap?debug=1"));
            Assert.Matches(RetainedTypeRecord, text);
        }
    }

    [Fact]
    public async Task Index_lists_heap_with_gos_description()
    {
        var html = await Http.GetStringAsync(_app.Url(""));

        Assert.Matches(@"<tr><td>[1-9]\d*</td><td><a href='heap\?debug=1'>heap</a>", html); // Go counts heap as allocs: sampled stacks
        Assert.Contains("You can specify the gc GET parameter to run GC before taking the heap sample.", html);
    }

    [Fact]
    public async Task Heap_seconds_is_a_delta_of_the_allocations_with_the_live_heap_at_its_end()
    {
        var profile = await DeltaResponse.FetchAsync(Http, _app.Url("heap?seconds=1"), "heap", TimeSpan.FromSeconds(60)); // the window, plus the snapshot at its end

        Assert.All(profile.Sample, sample => Assert.All(sample.Value, value => Assert.True(value >= 0)));
        Assert.Contains(profile.Comment, c => profile.StringTable[(int)c].Contains("inuse_* is the snapshot at the end, not a difference", StringComparison.Ordinal));

        // inuse_* are not subtracted: the retained arrays are all there.
        var retained = profile.Sample
            .Where(sample => sample.Label.Any(label => profile.StringTable[(int)label.Str] == RetainingAppFixture.RetainedType))
            .Sum(sample => sample.Value[3]);
        Assert.InRange(retained / (double)_app.App.RetainedBytes, 0.98, 1.05);

        // alloc_* are: the known method allocated before the window.
        var allocations = GoPprof.Run("-seconds", "1", "-top", "-sample_index=alloc_space", _app.Url("heap")).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain(AllocatingAppProcess.KnownMethod, allocations);
    }

    [Theory]
    [InlineData("heap?seconds=1&debug=1", "seconds and debug params are incompatible")]
    [InlineData("heap?gc=x", "invalid value for \"gc\" - must be a non-negative integer")]
    [InlineData("heap?debug=-1", "invalid value for \"debug\" - must be a non-negative integer")]
    public async Task Bad_parameters_get_gos_400(string path, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_disabled_diagnostic_port_gives_a_503()
    {
        var port = FreePort.Next();
        using var app = AllocatingAppProcess.Start($"127.0.0.1:{port}", megabytes: 1, new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });

        using var response = await Http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/heap");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("DOTNET_EnableDiagnostics=0", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Exit());
    }

    [Fact]
    public void The_profile_comment_of_allocs_points_to_heap()
    {
        var raw = GoPprof.Run("-raw", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Contains("inuse_* values are zero here; /debug/pprof/heap has them.", raw);
    }
}
