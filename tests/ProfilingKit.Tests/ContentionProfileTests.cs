using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>The block and mutex profiles (lock contention by waiter stack) of a process whose two threads take turns on one lock.</summary>
[Collection(BusyAppCollection.Name)]
public class ContentionProfileTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;

    public ContentionProfileTests(BusyAppFixture app) => _app = app;

    [Theory]
    [InlineData("block")]
    [InlineData("mutex")]
    public void Go_tool_pprof_top_shows_the_contending_method_with_its_delay(string path)
    {
        var result = GoPprof.Run("-top", _app.Url(path)).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("delay", report.Type);
        Assert.True(report.Row(AllocatingAppProcess.ContendingMethod).Cum > 10e6, result.StandardOutput); // waits of about 20 ms each
        Assert.Contains("waited", result.StandardOutput);
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
    }

    [Fact]
    public async Task Block_and_mutex_have_gos_sample_types_and_count_contentions()
    {
        foreach (var name in new[] { "block", "mutex" })
        {
            using var response = await Http.GetAsync(_app.Url(name));
            Assert.Equal($"attachment; filename=\"{name}\"", response.Content.Headers.ContentDisposition?.ToString());
            var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());

            Assert.Equal(new[] { "contentions/count", "delay/nanoseconds" }, ProfileMerge.SampleTypeNames(profile));
            Assert.Equal("contentions", profile.StringTable[(int)profile.PeriodType.Type]);
            Assert.Equal(1, profile.Period);
            var contending = ThreadTimeProfileTests.Stacks(profile)
                .Select((stack, i) => (stack, sample: profile.Sample[i]))
                .Where(s => s.stack.Contains(AllocatingAppProcess.ContendingMethod))
                .ToList();
            Assert.True(contending.Sum(s => s.sample.Value[0]) > 0);
            // The profiler's own threads' waits are left out; the app's own calls into ProfilingKit
            // (its main thread in DebugPprof.WaitForSampling) may contend and stay, under an app frame.
            Assert.DoesNotContain(ThreadTimeProfileTests.Stacks(profile), stack =>
                stack.Any(frame => frame.StartsWith("ProfilingKit.", StringComparison.Ordinal))
                && !stack.Any(frame => frame.StartsWith("AllocatingApp.", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Block_debug_1_is_gos_contention_text()
    {
        var text = await Http.GetStringAsync(_app.Url("block?debug=1"));

        Assert.StartsWith("--- contention:\ncycles/second=1000000000\n", text);
        Assert.Matches(@"\n\d+ [1-9]\d* @( 0x[0-9a-f]+)+\n(#.*\n)*#\t0x[0-9a-f]+\tAllocatingApp\.BusyWork\.ContendForLock\+0x", text);
        Assert.StartsWith("--- mutex:\n", await Http.GetStringAsync(_app.Url("mutex?debug=1")));
    }

    [Fact]
    public void Go_tool_pprof_seconds_on_mutex_gets_the_contentions_of_the_window()
    {
        var result = GoPprof.Run("-seconds", "1", "-top", _app.Url("mutex")).EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Matches(@"Duration: 1(\.\d+)?s", result.StandardOutput);
        Assert.InRange(report.Row(AllocatingAppProcess.ContendingMethod).Cum, 0.3e9, 3e9); // one thread waits most of the second
    }

    [Theory]
    [InlineData("block?debug=x", "invalid value for \"debug\" - must be a non-negative integer")]
    [InlineData("mutex?seconds=1&debug=1", "seconds and debug params are incompatible")]
    [InlineData("block?seconds=abc", "invalid value for \"seconds\" - must be a positive integer")]
    public async Task Bad_contention_queries_get_gos_400(string path, string message)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }
}
