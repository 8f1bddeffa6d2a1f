using System.Globalization;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// Profile labels from the packed package in a fresh minimal-API app: <c>app.UseProfileLabels()</c>
/// labels every request with its route and method, a handler labels a block of its own with
/// <c>ProfileLabels.Set</c>, and the real <c>go tool pprof -tagfocus</c> isolates each: a route's
/// bytes match what its requests allocated (measured in the handlers), the labelled block's lock
/// waits are there under its label.
/// </summary>
public sealed class ProfileLabelsTests(ITestOutputHelper log)
{
    private const string ProgramSource = """
        using ProfilingKit;

        var app = WebApplication.CreateBuilder(args).Build();
        app.UseProfileLabels();
        var gate = new object();
        app.MapGet("/small", () => E2ELabels.Work.Allocate(250));
        app.MapGet("/large/{id}", (int id) => E2ELabels.Work.Allocate(1000));
        app.MapGet("/contend", () =>
        {
            using (ProfileLabels.Set("phase", "contend"))
            {
                lock (gate) Thread.Sleep(20);
            }

            return "waited";
        });
        app.MapGet("/measured", () => $"{E2ELabels.Work.Measured["/small"]} {E2ELabels.Work.Measured["/large/{id}"]}");
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("working"));
        app.Run();

        namespace E2ELabels
        {
            public static class Work
            {
                public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> Measured = new() { ["/small"] = 0, ["/large/{id}"] = 0 };
                public static object? Sink;

                // The truth: the bytes this request's thread allocated here, added up per route.
                public static int Allocate(int kilobytes)
                {
                    ProfileLabels.TryGetValue("http.route", out var route);
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < kilobytes; i++) Sink = new byte[1024];
                    Measured.AddOrUpdate(route, 0, (_, sum) => sum + GC.GetAllocatedBytesForCurrentThread() - before);
                    return kilobytes;
                }
            }
        }
        """;

    [Fact]
    public async Task Tagfocus_isolates_a_route_s_bytes_and_a_labelled_block_s_waits()
    {
        using var app = new RunningWebApp("E2ELabels", ProgramSource);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var web = app.Web;
        // All at once on a cold app: the first requests of each route number their label sets while others already
        // run under them (a burst like this found a deadlock between the label registry and EventSource's lock).
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => http.GetStringAsync(web + "/small"))
            .Concat(Enumerable.Range(0, 50).Select(i => http.GetStringAsync($"{web}/large/{i}"))));
        // Then eight at once on the lock, so that they wait for each other.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetStringAsync(web + "/contend")));
        var measured = (await http.GetStringAsync($"{web}/measured")).Split(' ').Select(text => double.Parse(text, CultureInfo.InvariantCulture)).ToArray();

        var allocs = app.Profiles + "allocs";
        foreach (var (focus, truth) in new[] { (@"http.route=^/small$", measured[0]), (@"http.route=^/large/", measured[1]) })
        {
            // The reader thread sees the last requests' samples a moment after they are taken: read until two readings agree.
            double focused = -1, previous;
            var top = "";
            for (var attempt = 0; attempt < 20; attempt++, await Task.Delay(500))
            {
                previous = focused;
                top = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", "-tagfocus=" + focus, allocs).EnsureSuccess().StandardOutput;
                focused = GoPprof.ParseTop(top).Rows.Sum(row => row.Flat); // "of X total" stays the whole profile's under -tagfocus
                if (focused == previous) break;
            }

            log.WriteLine($"-tagfocus={focus}: {focused:N0} bytes in the profile, {truth:N0} measured\n{top}");
            // 50 MB per route: about 500 samples, a few percent of sampling error.
            Assert.InRange(focused / truth, 0.85, 1.15);
            Assert.Equal("E2ELabels.Work.Allocate", GoPprof.ParseTop(top).Rows[0].Name);
        }

        var tags = GoPprof.Run("-tags", allocs).EnsureSuccess().StandardOutput;
        Assert.Matches(@"http\.method: Total \S+\n\s+\S+ \(\s*[\d.]+%\): GET\n", tags);
        Assert.Contains("/large/{id}", tags);

        // Eight requests take turns on a 20 ms lock: most of them wait, under the block's label and its route's.
        var block = GoPprof.Run("-top", "-nodecount=1000", "-tagfocus=phase=contend", app.Profiles + "block").EnsureSuccess().StandardOutput;
        log.WriteLine(block);
        Assert.True(GoPprof.ParseTop(block).Rows.Sum(row => row.Flat) > 40e6, block);
        var routeTags = GoPprof.Run("-tags", "-tagfocus=phase=contend", app.Profiles + "block").EnsureSuccess().StandardOutput;
        Assert.Contains("/contend", routeTags);
    }
}
