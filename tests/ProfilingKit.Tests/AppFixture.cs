using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process on a free loopback port, shared by the tests of a class.</summary>
public abstract class AppFixture : IDisposable
{
    protected AppFixture(int megabytes, bool busy, IDictionary<string, string>? environment = null, int retainedMegabytes = 0, int inlinedMegabytes = 0)
    {
        Port = FreePort.Next();
        App = AllocatingAppProcess.Start($"127.0.0.1:{Port}", megabytes, environment, busy, retainedMegabytes, inlinedMegabytes);
        Assert.True(App.Sampling, "allocation sampling should run. stderr:\n" + App.StandardError);
    }

    internal AllocatingAppProcess App { get; }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/debug/pprof/{path}";

    public void Dispose()
    {
        App.Dispose();
        GC.SuppressFinalize(this);
    }
}
