using System.Globalization;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The live heap by allocation stack as a user turns it on: a minimal-API app from the packed package,
/// started with <c>PROFILINGKIT_PPROF_LIVE_HEAP=1</c>. One route keeps what it allocates, another makes
/// garbage; <c>heap</c>'s inuse_space, read by the real pprof, names the keeping route's code at the
/// bytes it keeps and gives the garbage route next to nothing.
/// </summary>
public sealed class LiveHeapTests(ITestOutputHelper log)
{
    private const string KeepMethod = "E2ELive.Cache.Keep";
    private const string ChurnMethod = "E2ELive.Cache.Churn";

    private const string ProgramSource = """
        var app = WebApplication.CreateBuilder(args).Build();
        app.MapGet("/keep", () => E2ELive.Cache.Keep(1_000));
        app.MapGet("/churn", () => E2ELive.Cache.Churn(10_000));
        app.MapGet("/kept", () => E2ELive.Cache.KeptBytes);
        app.MapGet("/gc", () => { GC.Collect(); return "collected"; });
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("working"));
        app.Run();

        namespace E2ELive
        {
            public static class Cache
            {
                private static readonly System.Collections.Concurrent.ConcurrentBag<byte[]> Kept = new();
                private static long _keptBytes;

                public static long KeptBytes => System.Threading.Interlocked.Read(ref _keptBytes);

                // Keeps count arrays of 1 KB: 24 + 1,024 bytes each on 64-bit .NET.
                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                public static int Keep(int count)
                {
                    for (var i = 0; i < count; i++) Kept.Add(new byte[1024]);
                    System.Threading.Interlocked.Add(ref _keptBytes, count * (24L + 1024));
                    return count;
                }

                public static object? Sink;

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                public static int Churn(int count)
                {
                    for (var i = 0; i < count; i++) Sink = new byte[1024];
                    return count;
                }
            }
        }
        """;

    [Fact]
    public async Task Heap_names_the_route_code_that_allocated_what_is_still_live()
    {
        using var app = new RunningWebApp("E2ELive", ProgramSource, new Dictionary<string, string> { ["PROFILINGKIT_PPROF_LIVE_HEAP"] = "1" }, "Release");

        using var http = new HttpClient();
        var web = app.Web;
        for (var i = 0; i < 40; i++)
        {
            await http.GetStringAsync($"{web}/keep");   // 40 x 1 MB kept
            await http.GetStringAsync($"{web}/churn");  // 40 x 10 MB of garbage
        }

        var kept = double.Parse(await http.GetStringAsync($"{web}/kept"), CultureInfo.InvariantCulture);
        await Task.Delay(500); // the last samples reach the reader
        await http.GetStringAsync($"{web}/gc"); // a GC after every sample, so all of them have been through one
        await Task.Delay(TimeSpan.FromSeconds(2)); // GCs are applied a second after they end

        var result = GoPprof.Run("-top", "-nodecount=200", "-sample_index=inuse_space", app.Profiles + "heap").EnsureSuccess();
        log.WriteLine($"{kept:N0} bytes kept\n{result.StandardOutput}");
        var rows = GoPprof.ParseTop(result.StandardOutput).Rows;
        var keep = rows.Where(row => row.Name == KeepMethod).Sum(row => row.Flat);
        var churn = rows.Where(row => row.Name == ChurnMethod).Sum(row => row.Flat);

        Assert.Contains("still live after the last GC, by allocation stack", result.StandardOutput);
        // About 400 samples in 40 MB: a few percent of sampling error.
        Assert.InRange(keep / kept, 0.85, 1.15);
        Assert.True(churn < 0.05 * kept, $"{churn} B of the garbage route's 400 MB counted live");
    }
}
