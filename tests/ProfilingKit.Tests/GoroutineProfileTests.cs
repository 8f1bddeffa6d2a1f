using System.Net;
using System.Text.RegularExpressions;
using ProfilingKit.Http;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;
using ProfilingKit.Threads;

namespace ProfilingKit.Tests;

/// <summary>The goroutine profile (every managed thread's stack now) of a process at known work.</summary>
[Collection(BusyAppCollection.Name)]
public class GoroutineProfileTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;

    public GoroutineProfileTests(BusyAppFixture app) => _app = app;

    [Fact]
    public void Go_tool_pprof_top_of_goroutine_counts_the_sleeping_and_burning_threads()
    {
        var result = GoPprof.Run("-top", _app.Url("goroutine")).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("goroutine", report.Type);
        Assert.Equal(1, report.Row(AllocatingAppProcess.ParkedMethod).Cum);
        Assert.Equal(1, report.Row(AllocatingAppProcess.BurningMethod).Cum);
        Assert.Contains("Tasks parked in await", result.StandardOutput);
        Assert.DoesNotContain("ProfilingKit.", result.StandardOutput.Replace("ProfilingKit: ", "", StringComparison.Ordinal));
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
    }

    [Fact]
    public async Task Goroutine_debug_0_has_gos_types_and_one_sample_per_distinct_stack()
    {
        using var response = await Http.GetAsync(_app.Url("goroutine"));
        Assert.Equal("attachment; filename=\"goroutine\"", response.Content.Headers.ContentDisposition?.ToString());
        var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());

        Assert.Equal(new[] { "goroutine/count" }, ProfileMerge.SampleTypeNames(profile));
        Assert.Equal("goroutine", profile.StringTable[(int)profile.PeriodType.Type]);
        Assert.Equal(1, profile.Period);
        // Distinct by location: two threads may sleep in the same method at different lines.
        Assert.Equal(profile.Sample.Count, profile.Sample.Select(sample => string.Join(";", sample.LocationId)).Distinct().Count());
        var stacks = ThreadTimeProfileTests.Stacks(profile);
        Assert.Contains(stacks, stack => stack[^1] == AllocatingAppProcess.ParkedMethod);
    }

    [Fact]
    public async Task Goroutine_debug_1_is_gos_count_text_with_offsets_and_source_lines()
    {
        var text = await Http.GetStringAsync(_app.Url("goroutine?debug=1"));

        Assert.Matches(@"^goroutine profile: total \d+\n# ProfilingKit: .*await", text);
        Assert.Matches(@"\n1 @( 0x[0-9a-f]+)+\n", text);
        Assert.Matches(@"\n#\t0x[0-9a-f]+\tAllocatingApp\.BusyWork\.Park\+0x[0-9a-f]+\t.*BusyWork\.cs:\d+\n", text);
    }

    [Fact]
    public async Task Goroutine_debug_2_has_one_block_per_thread_with_id_state_and_name()
    {
        var text = await Http.GetStringAsync(_app.Url("goroutine?debug=2"));

        Assert.StartsWith("# ProfilingKit: ", text);
        Assert.Matches(@"\ngoroutine \d+ \[[a-z ]+, Park\]:\n(.*\n)*?AllocatingApp\.BusyWork\.Park\(\.\.\.\)\n\t.*BusyWork\.cs:\d+ \+0x[0-9a-f]+\n", text);
        Assert.Matches(@"\ncreated by AllocatingApp\.BusyWork\.Start in goroutine \d+\n\t.*BusyWork\.cs:\d+ \+0x[0-9a-f]+\n", text); // Go's last line, from the ThreadCreating event
        Assert.DoesNotContain("ProfilingKit pprof", text); // the endpoint's own threads
    }

    [Fact]
    public async Task Goroutine_debug_2_shows_threads_asleep_or_in_Monitor_Wait_as_waiting_and_the_burning_one_as_running()
    {
        var text = await Http.GetStringAsync(_app.Url("goroutine?debug=2"));

        var states = Regex.Matches(text, @"\ngoroutine \d+ \[(?<state>[^,\]]+), (?<name>[^\]]+)\]:\n")
            .ToLookup(match => match.Groups["name"].Value, match => match.Groups["state"].Value);
        var (waiting, running) = OperatingSystem.IsLinux()
            ? (OsThreadState.Waiting, OsThreadState.Running)
            : (OsThreadState.Unknown, OsThreadState.Unknown); // only Linux says, through /proc
        Assert.Equal(new[] { waiting }, states["Park"]); // Thread.Sleep
        Assert.Equal(new[] { waiting }, states["AwaitPulse"]);
        Assert.Matches( // and that thread is in Monitor.Wait indeed
            $@"\ngoroutine \d+ \[{waiting}, AwaitPulse\]:\n((?!goroutine ).*\n)*?System\.Threading\.Monitor\.Wait\(\.\.\.\)\n((?!goroutine ).*\n)*?{Regex.Escape(AllocatingAppProcess.PulseAwaitingMethod)}\(\.\.\.\)\n",
            text);
        Assert.Equal(new[] { running }, states["BurnCpu"]); // runnable counts as running, so a busy machine cannot make it wait
    }

    [Theory]
    [InlineData("4242 (.NET TP Worker) S 4200 4200", OsThreadState.Waiting)]
    [InlineData("4242 (BurnCpu) R 4200 4200", OsThreadState.Running)]
    [InlineData("4242 (odd) R) name) D 4200 4200", OsThreadState.Syscall)] // a name may hold ") R", so the state follows the last ')'
    [InlineData("4242 (x) T 4200", OsThreadState.Stopped)]
    [InlineData("4242 (x) Z 4200", OsThreadState.Unknown)]
    [InlineData("not a stat line", OsThreadState.Unknown)]
    [InlineData("4242 (x)", OsThreadState.Unknown)]
    public void A_proc_stat_line_gives_gos_state_spelling(string stat, string state) => Assert.Equal(state, OsThreadState.FromStat(stat));

    [Fact]
    public async Task Goroutine_seconds_gives_a_delta_named_like_gos()
    {
        using var response = await Http.GetAsync(_app.Url("goroutine?seconds=1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment; filename=\"goroutine-delta\"", response.Content.Headers.ContentDisposition?.ToString());
        var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
        Assert.InRange(profile.DurationNanos, 900_000_000, 5_000_000_000);
    }

    [Theory]
    [InlineData("goroutine?debug=x", "invalid value for \"debug\" - must be a non-negative integer")]
    [InlineData("goroutine?seconds=1&debug=1", "seconds and debug params are incompatible")]
    [InlineData("goroutine?seconds=0", "invalid value for \"seconds\" - must be a positive integer")]
    public async Task Bad_goroutine_queries_get_gos_400(string path, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }
}
