using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process on a free loopback port, shared by the tests of a class.</summary>
public abstract class AppFixture : IDisposable
{
    protected AppFixture(int megabytes, bool busy, IDictionary<string, string>? environment = null, int retainedMegabytes = 0, int inlinedMegabytes = 0, int loopMegabytes = 0, int labelledMegabytes = 0)
    {
        Port = FreePort.Next();
        App = AllocatingAppProcess.Start($"127.0.0.1:{Port}", megabytes, environment, busy, retainedMegabytes, inlinedMegabytes, loopMegabytes, labelledMegabytes);
        Assert.True(App.Sampling, "allocation sampling should run. stderr:\n" + App.StandardError);
    }

    internal AllocatingAppProcess App { get; }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/debug/pprof/{path}";

    /// <summary>
    /// Waits until the allocs profile names <paramref name="method"/> and its totals (the first line of
    /// debug=1) have stopped changing. The profiler reads the runtime's events asynchronously, so on a
    /// loaded machine what the app allocated just before it reported reaches the profile a while later
    /// (as in Go, whose allocs reflects the last completed GC); a test that checks amounts must not race
    /// that. The endpoint's own requests are not in the profile, so an idle app's totals settle.
    /// </summary>
    protected void WaitForSettledAllocations(string method)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? previousTotals = null;
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = http.GetStringAsync(Url("allocs?debug=1")).GetAwaiter().GetResult();
            var totals = text.Split('\n', 2)[0];
            if (text.Contains(method, StringComparison.Ordinal) && totals == previousTotals) return;
            previousTotals = totals;
            Thread.Sleep(500);
        }

        throw new TimeoutException($"the allocs profile did not settle with {method} in it within 60 s:\n{text}");
    }

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }
}
