using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp that did its labelled work: tenant a and b concurrently across awaits, then a labelled lock.</summary>
public sealed class LabelledAppFixture : AppFixture
{
    public const int Megabytes = 100;

    public LabelledAppFixture()
        : base(megabytes: 1, busy: false, labelledMegabytes: Megabytes) => WaitForSettledAllocations(AllocatingAppProcess.LabelledMethod);
}

/// <summary>
/// Profile labels (<see cref="ProfileLabels"/>) read through the real <c>go tool pprof</c>: the labels
/// flow with the async work across awaits and thread hops, reach the runtime's allocation and
/// contention events and the CPU and wall samples, and <c>-tagfocus</c> isolates each flow's samples,
/// whose totals match what the app measured on the threads that did the work.
/// </summary>
public sealed class ProfileLabelsTests(LabelledAppFixture app) : IClassFixture<LabelledAppFixture>
{
    [Fact]
    public void Tagfocus_isolates_each_tenant_s_allocations_at_their_measured_bytes()
    {
        var (a, b) = app.App.LabelledBytes;
        foreach (var (tenant, truth) in new[] { ("a", a), ("b", b) })
        {
            var result = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", $"-tagfocus=tenant={tenant}", app.Url("allocs")).EnsureSuccess();
            var report = GoPprof.ParseTop(result.StandardOutput);
            var focused = report.Rows.Sum(row => row.Flat); // pprof's "of X total" stays the whole profile's under -tagfocus

            // About a thousand samples per 100 MB: a few percent of sampling error.
            Assert.InRange(focused / truth, 0.88, 1.12);
            Assert.Equal(AllocatingAppProcess.LabelledMethod, report.Rows[0].Name);
            Assert.True(report.Rows[0].Flat >= 0.95 * focused, result.StandardOutput);
        }
    }

    [Fact]
    public void Tags_lists_both_tenants_and_leaves_unlabelled_allocations_out_of_them()
    {
        var tags = GoPprof.Run("-tags", "-sample_index=alloc_space", app.Url("allocs")).EnsureSuccess().StandardOutput;

        Assert.Matches(@"tenant: Total \S+\n\s+\S+ \(\s*[\d.]+%\): b\n\s+\S+ \(\s*[\d.]+%\): a\n", tags);
        var unlabelled = GoPprof.Run("-top", "-sample_index=alloc_space", "-tagignore=tenant=.", app.Url("allocs")).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain(AllocatingAppProcess.LabelledMethod, unlabelled);
        Assert.Contains(AllocatingAppProcess.KnownMethod, unlabelled); // allocated before any label was set
    }

    [Fact]
    public async Task Cpu_and_wall_samples_carry_the_labels_their_thread_ran_under()
    {
        // Two flows burn in 1 ms chunks, hopping threads: job=a sleeps a millisecond after each chunk, job=b only yields.
        app.App.StartBurning(8);
        await Task.Delay(500);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var cpu = Path.GetTempFileName();
        var wall = Path.GetTempFileName();
        var before = app.App.ReadBurned();
        await File.WriteAllBytesAsync(cpu, await http.GetByteArrayAsync(app.Url("profile?seconds=2")));
        var after = app.App.ReadBurned();
        await File.WriteAllBytesAsync(wall, await http.GetByteArrayAsync(app.Url("wall?seconds=2")));
        // The flows' split during the profile's own window (plus the request's few milliseconds either side): on a busy machine it drifts over seconds.
        var (a, b) = (after.A - before.A, after.B - before.B);

        try
        {
            // The truth is each flow's share of the two flows' CPU, by the clocks of the threads that ran their chunks.
            var focused = new[] { "a", "b" }.Select(job => GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", $"-tagfocus=job={job}", cpu).EnsureSuccess().StandardOutput)).ToArray();
            var cpuA = focused[0].Rows.Where(row => row.Name == AllocatingAppProcess.BurningLabelledMethod).Sum(row => row.Flat);
            var cpuB = focused[1].Rows.Where(row => row.Name == AllocatingAppProcess.BurningLabelledMethod).Sum(row => row.Flat);
            Assert.True(cpuA > 0 && cpuB > 0, $"job=a {cpuA} ns, job=b {cpuB} ns of {AllocatingAppProcess.BurningLabelledMethod}");
            Assert.InRange(cpuA / (cpuA + cpuB) - (a / (double)(a + b)), -0.05, 0.05);

            var wallA = GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", "-tagfocus=job=a", wall).EnsureSuccess().StandardOutput);
            Assert.Contains(wallA.Rows, row => row.Name == AllocatingAppProcess.BurningLabelledMethod && row.Flat > 0);
        }
        finally
        {
            File.Delete(cpu);
            File.Delete(wall);
        }
    }

    [Theory]
    [InlineData("block")]
    [InlineData("mutex")]
    public void Tagfocus_isolates_the_labelled_lock_s_waits(string profile)
    {
        var report = GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", "-tagfocus=phase=contend", app.Url(profile)).EnsureSuccess().StandardOutput);

        // Ten 10 ms holds per thread: each thread waits for most of the other's.
        var waited = report.Rows.Sum(row => row.Flat);
        Assert.True(waited > 50e6, $"{waited} ns of waits under phase=contend");
        Assert.Contains(report.Rows, row => row.Name == AllocatingAppProcess.LabelledContendingMethod);
        var allocations = GoPprof.ParseTop(GoPprof.Run("-top", "-tagfocus=phase=contend", "-sample_index=alloc_space", app.Url("allocs")).EnsureSuccess().StandardOutput);
        Assert.DoesNotContain(allocations.Rows, row => row.Name == AllocatingAppProcess.LabelledMethod);
    }
}
