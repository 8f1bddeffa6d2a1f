using System.Runtime.CompilerServices;
using System.Text;
using ProfilingKit;

namespace ProfilingKit.Bench.ScrapeCost;

/// <summary>
/// A request-serving app: each request to /work builds a report string (allocations) and does some
/// arithmetic (CPU), as a service's handler does. ProfilingKit samples from start-up, as with EnableDebugPprof.
/// With <c>labels</c>, every request runs under the labels the generated <c>UseProfileLabels()</c> sets
/// (http.route and http.method, in a middleware after routing); the bench references the runtime
/// project, not the package, so it states that middleware's two lines itself.
/// </summary>
internal static class Server
{
    public static int Run(int port, int pprofPort, bool labels)
    {
        DebugPprof.Start($"127.0.0.1:{pprofPort}");
        DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        if (labels)
        {
            app.UseRouting();
            app.Use(async (context, next) =>
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
                using (ProfileLabels.Set([new("http.route", route), new("http.method", context.Request.Method)])) await next(context);
            });
        }

        app.MapGet("/work", () => Work.Handle(400));
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("working"));
        app.Run();
        return 0;
    }
}

internal static class Work
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Handle(int items)
    {
        var report = new StringBuilder();
        ulong state = 88172645463325252UL;
        for (var i = 0; i < items; i++)
        {
            for (var round = 0; round < 200; round++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
            }

            report.Append(i).Append(':').Append(state % 1000).Append(',');
        }

        return report.ToString();
    }
}
