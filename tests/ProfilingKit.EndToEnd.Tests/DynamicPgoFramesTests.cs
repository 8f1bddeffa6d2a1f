using System.Globalization;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The Truth issue's lost frames: a Release minimal-API app from the packed package, default runtime
/// settings (Dynamic PGO on). ASP.NET Core compiles each route's request delegate as a dynamic method
/// (<c>dynamicClass.lambda_method1</c>); PGO's guarded devirtualization inlines the route handler into
/// it, and the handler's small callee after it. The runtime keeps no debug info for dynamic methods
/// unless told (<c>DOTNET_TrackDynamicMethodDebugInfo=1</c>), so it reports neither their IL map nor
/// their inline tree, and the handler and its callee vanish from every profile. With that and
/// <c>DOTNET_RichDebugInfo=1</c> they are back, as inlined frames, carrying what the requests allocated.
/// Without them the bytes are still all there, on the request delegate, and the route's label
/// (<c>app.UseProfileLabels()</c>) says which requests made them.
/// </summary>
public sealed class DynamicPgoFramesTests(ITestOutputHelper log)
{
    private const int Requests = 400;
    private const string BuildMethod = "E2EPgo.WebWork.BuildReport";

    private const string ProgramSource = """
        var app = WebApplication.CreateBuilder(args).Build();
        long measured = 0;
        app.UseProfileLabels();
        app.MapGet("/work", () => E2EPgo.WebWork.BuildReport(3_000));
        // The truth: what one call allocates, measured on the thread that makes it.
        app.MapGet("/measure", () =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var report = E2EPgo.WebWork.BuildReport(3_000);
            measured = GC.GetAllocatedBytesForCurrentThread() - before;
            return report.Length;
        });
        app.MapGet("/measured", () => measured);
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("working"));
        app.Run();

        namespace E2EPgo
        {
            public static class WebWork
            {
                public static string BuildReport(int count)
                {
                    var report = new System.Text.StringBuilder();
                    for (var i = 0; i < count; i++) report.Append("line ").Append(i).Append('\n');
                    return report.ToString();
                }
            }
        }
        """;

    [Fact]
    public async Task With_dynamic_method_debug_info_the_handler_and_its_inlined_callee_carry_the_requests_bytes()
    {
        var run = await RunAsync(new Dictionary<string, string>
        {
            ["DOTNET_RichDebugInfo"] = "1",
            ["DOTNET_TrackDynamicMethodDebugInfo"] = "1",
        }, (top, perCall) => GoPprof.ParseTop(top).Rows.Any(row => row.Name.StartsWith(BuildMethod, StringComparison.Ordinal) && row.Cum >= 0.85 * (Requests + 1) * perCall));

        var rows = GoPprof.ParseTop(run.Top).Rows;
        var build = rows.SingleOrDefault(row => row.Name.StartsWith(BuildMethod, StringComparison.Ordinal));
        Assert.True(build is not null, $"{BuildMethod} is not in the profile:\n{run.Top}");
        // Sampled estimates: 401 calls of ~120 KB are ~480 samples, a standard error of about 4.6%: ±15% is over three.
        Assert.InRange(build!.Cum / run.Truth, 0.85, 1.15);
        Assert.Contains(rows, row => row.Name.StartsWith("Program+<>c.<<Main>$>b__0_0", StringComparison.Ordinal)); // the /work handler
    }

    /// <summary>
    /// With default settings the inlined frames are not there (the runtime keeps no debug info for the
    /// request delegate), but no byte is lost: the requests' route label carries what they allocated.
    /// </summary>
    [Fact]
    public async Task With_default_settings_the_route_carries_the_requests_bytes()
    {
        const string Route = "-tagfocus=http.route=^/work$";
        var run = await RunAsync(new Dictionary<string, string>(), (top, perCall) => GoPprof.ParseTop(top).Rows.Sum(row => row.Flat) >= 0.85 * Requests * perCall, Route);

        var onRoute = GoPprof.ParseTop(run.Top).Rows.Sum(row => row.Flat); // pprof's "of X total" stays the whole profile's under -tagfocus
        Assert.InRange(onRoute / (Requests * (double)run.PerCall), 0.85, 1.15); // 400 calls: about 480 samples, as above
    }

    private sealed record Run(string Top, long PerCall)
    {
        public double Truth => (Requests + 1) * (double)PerCall;
    }

    /// <summary>
    /// Builds and starts the app in Release with <paramref name="environment"/>, makes the requests, and reads
    /// `go tool pprof -top -cum` of its allocs (with <paramref name="filters"/>) until <paramref name="complete"/>
    /// (given the output and the bytes one call allocates) says the last requests' samples are in: the reader
    /// thread sees them a moment after they are taken.
    /// </summary>
    private async Task<Run> RunAsync(IReadOnlyDictionary<string, string> environment, Func<string, long, bool> complete, params string[] filters)
    {
        using var app = new RunningWebApp("E2EPgo", ProgramSource, environment, "Release");

        using var http = new HttpClient();
        for (var i = 0; i < Requests; i++) await http.GetStringAsync($"{app.Web}/work");
        await http.GetStringAsync($"{app.Web}/measure");
        var perCall = long.Parse(await http.GetStringAsync($"{app.Web}/measured"), CultureInfo.InvariantCulture);

        var top = "";
        for (var attempt = 0; attempt < 10; attempt++, await Task.Delay(500))
        {
            top = GoPprof.Run(["-top", "-cum", "-sample_index=alloc_space", "-nodecount=200", .. filters, app.Profiles + "allocs"]).EnsureSuccess().StandardOutput;
            if (complete(top, perCall)) break;
        }

        log.WriteLine($"{Requests + 1} calls of {perCall:N0} bytes measured; {string.Join(" ", filters)}\n{top}");
        return new Run(top, perCall);
    }
}
