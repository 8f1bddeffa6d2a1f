using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>An AllocatingApp that follows its live heap (PROFILINGKIT_PPROF_LIVE_HEAP=1), keeps 100 MB of RetainedRecord[] and churns garbage on a busy thread.</summary>
public sealed class LiveHeapAppFixture : AppFixture
{
    public LiveHeapAppFixture()
        : base(megabytes: 1, busy: true, new Dictionary<string, string> { ["PROFILINGKIT_PPROF_LIVE_HEAP"] = "1" }, retainedMegabytes: 100)
    {
    }
}

/// <summary>The same app as <see cref="LiveHeapAppFixture"/>, for the test that lets the retained arrays go.</summary>
public sealed class ReleasingLiveHeapAppFixture : AppFixture
{
    public ReleasingLiveHeapAppFixture()
        : base(megabytes: 1, busy: true, new Dictionary<string, string> { ["PROFILINGKIT_PPROF_LIVE_HEAP"] = "1" }, retainedMegabytes: 100)
    {
    }
}

/// <summary>Objects followed through background GCs: kept while live, gone once they die in one.</summary>
public sealed class LiveHeapBackgroundGcTests(ReleasingLiveHeapAppFixture app) : IClassFixture<ReleasingLiveHeapAppFixture>
{
    [Fact]
    public void What_survives_a_background_gc_stays_and_what_dies_in_one_leaves()
    {
        var retained = app.App.RetainedBytes;
        app.App.BackgroundGc(release: false);
        Assert.InRange(LiveHeapTests.RetainedInuse(app) / retained, 0.9, 1.1);

        app.App.BackgroundGc(release: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        double left;
        while ((left = LiveHeapTests.RetainedInuse(app)) > 0.05 * retained && DateTime.UtcNow < deadline) Thread.Sleep(1000);

        Assert.True(left <= 0.05 * retained, $"{left} B of the released {retained} B still counted live");
        var snapshot = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=inuse_space", app.Url("heap?by=type")).EnsureSuccess().StandardOutput);
        Assert.DoesNotContain(snapshot.Rows, row => row.Name == RetainingAppFixture.RetainedType && row.Flat > 0.05 * retained); // the truth agrees
    }
}

/// <summary>
/// The live heap by allocation stack (Go's heap semantics), read through the real <c>go tool pprof</c>:
/// the sampled objects followed through GCs say which code allocated what is still live, against the
/// bytes the app itself keeps, and that what the churning thread allocated has died.
/// </summary>
public sealed class LiveHeapTests(LiveHeapAppFixture app) : IClassFixture<LiveHeapAppFixture>
{
    private const string RetainingMethod = "AllocatingApp.RetainedHeap.Retain";

    /// <summary>The inuse_space <c>heap</c> gives <see cref="RetainingMethod"/>, once the GCs of the last moments have settled.</summary>
    internal static double RetainedInuse(AppFixture app)
    {
        Thread.Sleep(LiveObjectTrackerSettle);
        var report = GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", "-sample_index=inuse_space", app.Url("heap")).EnsureSuccess().StandardOutput);
        return report.Rows.Where(row => row.Name == RetainingMethod).Sum(row => row.Flat);
    }

    [Fact]
    public void Heap_s_inuse_space_names_the_stack_that_allocated_what_is_live_and_leaves_out_what_died()
    {
        var retained = app.App.RetainedBytes;
        WaitForChurn(20e6); // garbage enough, through enough GCs, to have died in them
        var result = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=inuse_space", app.Url("heap")).EnsureSuccess();
        var live = GoPprof.ParseTop(result.StandardOutput);

        // About a thousand samples in 100 MB: a few percent of sampling error.
        Assert.Equal(RetainingMethod, live.Rows.OrderByDescending(row => row.Flat).First().Name);
        Assert.InRange(live.Row(RetainingMethod).Flat / retained, 0.9, 1.1);
        Assert.Contains("sampled allocations still live after the last GC, by allocation stack", result.StandardOutput);
        Assert.DoesNotContain("[live heap]", result.StandardOutput); // no snapshot's type frames

        var churned = GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", app.Url("heap")).EnsureSuccess().StandardOutput).Row(AllocatingAppProcess.ChurningMethod).Flat;
        var churnedLive = live.Rows.Where(row => row.Name == AllocatingAppProcess.ChurningMethod).Sum(row => row.Flat);
        Assert.True(churnedLive < 0.05 * churned, $"{churnedLive} B of {AllocatingAppProcess.ChurningMethod}'s {churned} B allocated should have died");
    }

    [Fact]
    public void Allocs_carries_the_same_live_heap()
    {
        var live = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=inuse_space", app.Url("allocs")).EnsureSuccess().StandardOutput);

        Assert.InRange(live.Row(RetainingMethod).Flat / app.App.RetainedBytes, 0.9, 1.1);
    }

    [Fact]
    public void By_type_still_takes_the_exact_snapshot()
    {
        var result = GoPprof.Run("-top", "-sample_index=inuse_space", app.Url("heap?by=type")).EnsureSuccess();
        var report = GoPprof.ParseTop(result.StandardOutput);

        Assert.InRange(report.Row(RetainingAppFixture.RetainedType).Flat / app.App.RetainedBytes, 0.98, 1.05);
        Assert.Contains("heap snapshot taken now", result.StandardOutput);
    }

    [Fact]
    public async Task A_by_that_names_no_variant_is_a_bad_request()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(app.Url("heap?by=route"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("by=stack or by=type", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(app.Url("heap?by=stack"))).StatusCode); // and the app serves on
    }

    private void WaitForChurn(double bytes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var report = GoPprof.ParseTop(GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", app.Url("allocs")).EnsureSuccess().StandardOutput);
            if (report.Rows.Where(row => row.Name == AllocatingAppProcess.ChurningMethod).Sum(row => row.Flat) >= bytes) break;
            Thread.Sleep(1000);
        }

        Thread.Sleep(LiveObjectTrackerSettle);
    }

    /// <summary>A GC is applied a second after it ends; the churn's last GCs with it.</summary>
    private static readonly TimeSpan LiveObjectTrackerSettle = TimeSpan.FromSeconds(2);
}
