using System.Text.RegularExpressions;
using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

public class DebugPprofEndpointTests : IClassFixture<AllocatingAppFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly AllocatingAppFixture _app;

    public DebugPprofEndpointTests(AllocatingAppFixture app) => _app = app;

    [Fact]
    public void Allocs_puts_the_allocating_method_first_with_bytes_within_15_percent_of_what_its_thread_allocated()
    {
        var measured = _app.App.AllocatedBytes;
        Assert.True(measured >= 100_000_000, $"the workload should allocate at least 100 MB, it allocated {measured}");

        var result = GoPprof.Run("-top", "-cum", "-nodefraction=0", _app.Url("allocs")).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("alloc_space", report.Type);
        var known = report.Row(AllocatingAppProcess.KnownMethod);
        Assert.Equal(AllocatingAppProcess.KnownMethod, report.Rows[0].Name);
        Assert.True(known.Cum > report.Rows[1].Cum, "the known method is the root of its thread: nothing else can tie");
        Assert.Equal(report.Rows.Max(r => r.Flat), known.Flat);
        Assert.InRange(known.Cum / measured, 0.85, 1.15);
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
        Assert.DoesNotContain("Local symbolization failed", result.AllOutput);
    }

    [Fact]
    public void Allocs_uses_gos_sample_types_and_default_and_names_frames_namespace_type_method()
    {
        var raw = GoPprof.Run("-raw", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Contains("alloc_objects/count alloc_space/bytes[dflt] inuse_objects/count inuse_space/bytes", raw);
        Assert.Contains("PeriodType: space bytes", raw);
        Assert.Contains("Period: 102400", raw);
        Assert.Contains(" M=1 " + AllocatingAppProcess.KnownMethod + " ", raw);
        Assert.Contains("type:[System.Byte[]]", raw);
        // The mapping covers the locations' addresses; the known method's is its JIT code's, a user-space address.
        var mapping = Regex.Match(raw, @"(?m)^1: 0x([0-9a-f]+)/0x([0-9a-f]+)/0x0 \S*AllocatingApp\.dll\s+\[FN\]\[FL\]\[LN\]");
        Assert.True(mapping.Success, raw);
        var (start, limit) = (Convert.ToUInt64(mapping.Groups[1].Value, 16), Convert.ToUInt64(mapping.Groups[2].Value, 16));
        var known = Convert.ToUInt64(Regex.Match(raw, @"(?m)^\s+\d+: 0x([0-9a-f]+) M=1 " + Regex.Escape(AllocatingAppProcess.KnownMethod) + " ").Groups[1].Value, 16);
        Assert.InRange(known, Math.Max(start, 0x1000UL), Math.Min(limit - 1, 0x7FFF_FFFF_FFFFUL));
    }

    [Fact]
    public void Allocs_gives_the_allocating_frame_its_source_file_and_line_from_the_pdb()
    {
        var lines = GoPprof.Run("-top", "-lines", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Matches(@"AllocatingApp\.KnownAllocations\.Run \S*Program\.cs:\d+", lines);
    }

    [Fact]
    public void Go_tool_pprof_list_annotates_the_allocating_method_s_source()
    {
        // -list reads the source file the profile names, as it does for a Go binary built on this machine.
        var listing = GoPprof.Run("-list", @"KnownAllocations\.Run", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Contains("ROUTINE ======================== " + AllocatingAppProcess.KnownMethod, listing);
        Assert.Matches(@"(?m)^\s+\S+MB\s+\S+MB\s+\d+:\s+Sink = new byte\[1000\];", listing);
    }

    [Fact]
    public void The_thread_start_frame_is_left_out_as_go_leaves_out_goexit()
    {
        var raw = GoPprof.Run("-raw", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.DoesNotContain("System.Threading.Thread.StartCallback", raw);
    }

    [Fact]
    public void Profiler_threads_are_not_in_the_profile()
    {
        var raw = GoPprof.Run("-raw", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Contains(AllocatingAppProcess.KnownMethod, raw);
        Assert.DoesNotContain("ProfilingKit.EventPipe", raw);
        Assert.DoesNotContain("ProfilingKit.Http", raw);
        Assert.DoesNotContain("ProfilingKit.Symbols", raw);
    }

    [Fact]
    public async Task Index_lists_allocs_with_a_debug_link()
    {
        using var response = await Http.GetAsync(_app.Url(""));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>/debug/pprof/</title>", html);
        Assert.Contains("<a href='allocs?debug=1'>allocs</a>", html);
        Assert.Contains("A sampling of all past memory allocations", html);
    }

    [Fact]
    public async Task Allocs_debug_1_is_text_with_the_allocating_stacks()
    {
        using var response = await Http.GetAsync(_app.Url("allocs?debug=1"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("heap profile: ", text);
        Assert.Contains(" @ heap/2\n", text); // the values are estimates already: no sampling rate for pprof to apply again
        Assert.Matches(@"\n#\t0x[0-9a-f]+\t" + System.Text.RegularExpressions.Regex.Escape(AllocatingAppProcess.KnownMethod) + @"\+0x0\t\S+:\d+\n", text);
    }

    [Theory]
    [InlineData("alloc_space")]
    [InlineData("alloc_objects")]
    public Task Allocs_debug_1_read_by_go_tool_pprof_has_the_totals_of_the_binary_profile(string sampleIndex) =>
        LegacyTextRoundTrip.AssertSameTotalsAsync(_app.Url("allocs"), sampleIndex); // an app that has stopped allocating

    [Theory]
    [InlineData("goroutines", HttpStatusCode.NotFound, "Unknown profile")]
    [InlineData("allocs?debug=x", HttpStatusCode.BadRequest, "invalid value for \"debug\" - must be a non-negative integer")]
    [InlineData("allocs?debug=-1", HttpStatusCode.BadRequest, "invalid value for \"debug\" - must be a non-negative integer")]
    public async Task Errors_come_in_gos_form(string path, HttpStatusCode status, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Go-Pprof")));
        Assert.StartsWith(message, body);
        Assert.EndsWith("\n", body);
    }

    [Fact]
    public void Go_tool_pprof_shows_our_error_text()
    {
        var result = GoPprof.Run("-top", _app.Url("nosuchprofile"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("404 Not Found - Unknown profile", result.AllOutput);
    }

    [Fact]
    public async Task Profile_responses_are_gzip_attachments_named_like_gos()
    {
        using var response = await Http.GetAsync(_app.Url("allocs"));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"allocs\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(new byte[] { 0x1f, 0x8b }, bytes[..2]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
