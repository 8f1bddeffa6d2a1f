using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process, 110 MB allocated in the known method, shared by the profile tests.</summary>
public sealed class AllocatingAppFixture : IDisposable
{
    public AllocatingAppFixture()
    {
        Port = FreePort.Next();
        App = AllocatingAppProcess.Start($"127.0.0.1:{Port}", megabytes: 110);
        Assert.True(App.Sampling, "allocation sampling should run. stderr:\n" + App.StandardError);
    }

    internal AllocatingAppProcess App { get; }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/debug/pprof/{path}";

    public void Dispose() => App.Dispose();
}
