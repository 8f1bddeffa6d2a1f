using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;
using ProfilingKit.Threads;

namespace ProfilingKit.Tests;

/// <summary>The threadcreate profile (how the live managed threads were started) of a process that starts its busy threads in one known method.</summary>
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
    public void Go_tool_pprof_top_of_threadcreate_counts_the_threads_running_before_profiling_under_a_pseudo_frame()
    {
        var result = GoPprof.Run("-top", _app.Url("threadcreate")).EnsureSuccess();

        // The main thread ran Main before the session began, so no event recorded how it started.
        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.InRange(report.Row(ThreadCreateProfile.BeforeSamplingFrame).Flat, 1, report.Total!.Value - 6);
    }

    [Fact]
    public async Task Threadcreate_and_goroutine_total_the_live_managed_threads_the_index_counts()
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await IndexCounts();
            var goroutines = TextTotal("goroutine", await Http.GetStringAsync(_app.Url("goroutine?debug=1")));
            var created = TextTotal("threadcreate", await Http.GetStringAsync(_app.Url("threadcreate?debug=1")));
            var after = await IndexCounts();
            // A thread that started or ended meanwhile (the pool grows and shrinks under load, between the
            // four requests too) makes one count differ for a moment: ask again; a lasting difference fails.
            var settled = before == after && goroutines == before.Goroutine && created == before.ThreadCreate;
            if (!settled && attempt < 8) continue;

            Assert.Equal(before, after);
            Assert.Equal(before.Goroutine, before.ThreadCreate);
            Assert.Equal(before.Goroutine, goroutines);
            Assert.Equal(before.Goroutine, created);
            Assert.True(goroutines >= 7, $"{goroutines} threads; the app runs Main and six busy threads");
            return;
        }
    }

    [Fact]
    public async Task Threadcreate_debug_1_writes_the_threads_without_a_creation_stack_as_a_record_pprof_reads()
    {
        var text = await Http.GetStringAsync(_app.Url("threadcreate?debug=1"));

        // At the pseudo-frame's synthetic address, the binary profile's for it; after '@' one more, as a return address.
        var address = ProfilingKit.Pprof.ProfileBuilder.SyntheticAddress(new ProfilingKit.Pprof.Frame("[created before profiling started]"));
        Assert.Matches($@"\n[1-9]\d* @ 0x{address + 1:x}\n#\t0x{address:x}\t\[created before profiling started\]\n", text);
        var path = Path.Combine(Path.GetTempPath(), $"threadcreate-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, text);
            var report = GoPprof.ParseTop(GoPprof.Run("-top", path).EnsureSuccess().StandardOutput);
            Assert.Equal(TextTotal("threadcreate", text), report.Total);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The goroutine and threadcreate counts of the index page.</summary>
    private async Task<(long Goroutine, long ThreadCreate)> IndexCounts()
    {
        var html = await Http.GetStringAsync(_app.Url(""));
        long Count(string name) => long.Parse(
            Regex.Match(html, $@"<tr><td>(\d+)</td><td><a href='{name}\?debug=1'>").Groups[1].Value,
            CultureInfo.InvariantCulture);
        return (Count("goroutine"), Count("threadcreate"));
    }

    /// <summary>N of the first line of Go's count text, <c>NAME profile: total N</c>.</summary>
    private static long TextTotal(string name, string text) =>
        long.Parse(Regex.Match(text, $@"^{name} profile: total (\d+)\n").Groups[1].Value, CultureInfo.InvariantCulture);

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
