using System.Net;
using System.Net.Sockets;
using System.Text;
using ProfilingKit.Cpu;
using ProfilingKit.Http;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.Tests;

/// <summary>The CPU profile (<c>profile</c>) and the wall-clock profile (<c>wall</c>) of a process at known work.</summary>
[Collection(BusyAppCollection.Name)]
public class ThreadTimeProfileTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;
    private readonly ITestOutputHelper _output;

    public ThreadTimeProfileTests(BusyAppFixture app, ITestOutputHelper output)
    {
        _app = app;
        _output = output;
    }

    [Fact]
    public void Go_tool_pprof_top_of_a_cpu_profile_shows_the_burning_methods_first()
    {
        var result = GoPprof.Run("-top", _app.Url("profile?seconds=2")).EnsureSuccess();

        // Native code of every thread (the JIT's, the GC's) is one row of its own; the managed rows follow the work.
        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("cpu", report.Type);
        var managed = report.Rows.Where(row => row.Name != StackSymbolizer.NativeCodeFrame).ToList();
        Assert.Equal(AllocatingAppProcess.SeventyPercentMethod, managed[0].Name);
        Assert.Equal(AllocatingAppProcess.ThirtyPercentMethod, managed[1].Name);
        Assert.True(report.Row(AllocatingAppProcess.BurningMethod).CumPercent > 50, result.StandardOutput);

        // Informative, not asserted: timing on a shared machine is the benchmark's business (docs/benchmarks.md).
        var seventy = managed[0].Flat;
        _output.WriteLine($"reported split of the 70/30 pair: {seventy / (seventy + managed[1].Flat):P1} / {managed[1].Flat / (seventy + managed[1].Flat):P1}");
        Assert.Matches(@"Duration: 2(\.\d+)?s, Total samples = ", result.StandardOutput);
        Assert.Contains("CPU time, sampled by the kernel", result.StandardOutput);
        Assert.DoesNotContain(AllocatingAppProcess.ParkedMethod, result.StandardOutput);
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
    }

    [Fact]
    public async Task The_cpu_profile_has_gos_sample_types_period_and_duration_and_no_profiler_threads()
    {
        var profile = await FetchProfile("profile?seconds=1", "profile");

        Assert.Equal(new[] { "samples/count", "cpu/nanoseconds" }, ProfileMerge.SampleTypeNames(profile));
        Assert.Equal("cpu", profile.StringTable[(int)profile.PeriodType.Type]);
        Assert.Equal("nanoseconds", profile.StringTable[(int)profile.PeriodType.Unit]);
        Assert.InRange(profile.Period, 500_000, 100_000_000); // the measured interval: about 1 ms plus the walk
        Assert.InRange(profile.DurationNanos, 900_000_000, 5_000_000_000);
        Assert.NotEqual(0, profile.TimeNanos);
        Assert.DoesNotContain(profile.StringTable, s => s.StartsWith("ProfilingKit.", StringComparison.Ordinal));
        Assert.DoesNotContain(ThreadTimeProfile.WaitingOrNativeFrame, profile.StringTable);
    }

    [Fact]
    public async Task The_wall_profile_shows_the_sleeping_thread_under_a_waiting_leaf_and_the_burning_one()
    {
        var profile = await FetchProfile("wall?seconds=1", "wall");

        Assert.Equal(new[] { "samples/count", "wall/nanoseconds" }, ProfileMerge.SampleTypeNames(profile));
        var stacks = Stacks(profile);
        Assert.Contains(stacks, stack => stack[0] == ThreadTimeProfile.WaitingOrNativeFrame && stack[^1] == AllocatingAppProcess.ParkedMethod);
        Assert.Contains(stacks, stack => stack[0] == AllocatingAppProcess.SeventyPercentMethod && stack[^1] == AllocatingAppProcess.BurningMethod);

        var result = GoPprof.Run("-top", _app.Url("wall?seconds=1")).EnsureSuccess();
        Assert.Equal("wall", GoPprof.ParseTop(result.StandardOutput).Type);
        Assert.Contains(ThreadTimeProfile.WaitingOrNativeFrame, result.StandardOutput);
    }

    [Fact]
    public async Task Two_cpu_or_wall_windows_may_overlap_and_a_third_gets_gos_500()
    {
        // Two scrapers, or one whose scrapes overlap: each window runs sessions of its own.
        var first = Http.GetAsync(_app.Url("profile?seconds=3"));
        var second = Http.GetAsync(_app.Url("wall?seconds=3"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        using (var third = await Http.GetAsync(_app.Url("profile?seconds=1")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, third.StatusCode);
            Assert.Equal(ThreadTimeHandler.BusyMessage + "\n", await third.Content.ReadAsStringAsync());
            Assert.Equal("1", Assert.Single(third.Headers.GetValues("X-Go-Pprof")));
        }

        foreach (var (response, name) in new[] { (await first, "profile"), (await second, "wall") })
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
                Assert.Contains(Stacks(profile), stack => stack.Contains(AllocatingAppProcess.BurningMethod)); // each window got its samples
            }
        }
    }

    [Fact]
    public async Task A_second_trace_while_one_runs_gets_gos_500_and_a_trace_does_not_wait_for_a_cpu_profile()
    {
        var profile = Http.GetAsync(_app.Url("profile?seconds=3"));
        var first = Http.GetAsync(_app.Url("trace?seconds=3"));
        await Task.Delay(TimeSpan.FromSeconds(1));

        using (var second = await Http.GetAsync(_app.Url("trace?seconds=1")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
            Assert.Equal(TraceHandler.BusyMessage + "\n", await second.Content.ReadAsStringAsync());
        }

        using var trace = await first;
        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
        Assert.Equal("Nettrace", Encoding.ASCII.GetString((await trace.Content.ReadAsByteArrayAsync())[..8]));
        using var cpu = await profile;
        Assert.Equal(HttpStatusCode.OK, cpu.StatusCode);
    }

    [Fact]
    public async Task A_long_cpu_window_is_sampled_throughout_by_the_kernel_and_the_burner_gets_the_cpu_the_os_charged_it()
    {
        var before = _app.App.ThreadCpuTime("BurnCpu");
        var profile = await FetchProfile("profile?seconds=12", "profile");
        var spent = _app.App.ThreadCpuTime("BurnCpu") - before;
        var comments = string.Join(" ", profile.Comment.Select(c => profile.StringTable[(int)c]));
        var stacks = Stacks(profile);
        var burning = profile.Sample
            .Where((sample, index) => stacks[index].Contains(AllocatingAppProcess.BurningMethod))
            .Sum(sample => sample.Value[1]);

        // The kernel's sampler costs little, so it samples the whole window (the runtime's is sliced: CpuProfileTruthTests).
        Assert.DoesNotContain("sampled in slices", comments);
        Assert.InRange(profile.DurationNanos, 11_500_000_000, 20_000_000_000);
        Assert.NotNull(spent);
        var truth = spent.Value.TotalSeconds * 1e9;
        Assert.True(burning >= 0.85 * truth && burning <= 1.05 * truth, $"the burner's CPU in the profile is {burning / 1e9:0.00} s; the OS charged it {truth / 1e9:0.00} s");
    }

    [Fact]
    public async Task A_client_that_leaves_mid_profile_harms_nothing_and_the_next_profile_works()
    {
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, _app.Port);
            var get = Encoding.ASCII.GetBytes($"GET /debug/pprof/profile?seconds=2 HTTP/1.1\r\nHost: 127.0.0.1:{_app.Port}\r\n\r\n");
            await client.GetStream().WriteAsync(get);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        using (var index = await Http.GetAsync(_app.Url("")))
        {
            Assert.Equal(HttpStatusCode.OK, index.StatusCode); // served while the abandoned profile still runs
        }

        // The abandoned window ends on its own; then the slot is free again.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        HttpStatusCode status;
        do
        {
            using var next = await Http.GetAsync(_app.Url("profile?seconds=1"));
            status = next.StatusCode;
            if (status == HttpStatusCode.OK) Assert.Equal(new byte[] { 0x1f, 0x8b }, (await next.Content.ReadAsByteArrayAsync())[..2]);
            else await Task.Delay(250);
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("failed", _app.App.StandardError);
    }

    [Theory]
    [InlineData("profile?seconds=abc")]
    [InlineData("profile?seconds=-1")]
    [InlineData("profile?seconds=0")]
    [InlineData("wall?seconds=1.5")]
    [InlineData("allocs?seconds=abc")]
    [InlineData("allocs?seconds=-1")]
    public async Task Bad_seconds_get_gos_400(string path)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid value for \"seconds\" - must be a positive integer\n", await response.Content.ReadAsStringAsync());
    }

    private async Task<Profile> FetchProfile(string path, string fileName)
    {
        using var response = await Http.GetAsync(_app.Url(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"attachment; filename=\"{fileName}\"", response.Content.Headers.ContentDisposition?.ToString());
        return ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
    }

    /// <summary>Each sample's function names, leaf first.</summary>
    internal static List<string[]> Stacks(Profile profile)
    {
        var functions = profile.Function.ToDictionary(f => f.Id, f => profile.StringTable[(int)f.Name]);
        var locations = profile.Location.ToDictionary(l => l.Id, l => functions[l.Line[0].FunctionId]);
        return profile.Sample.Select(sample => sample.LocationId.Select(id => locations[id]).ToArray()).ToList();
    }
}
