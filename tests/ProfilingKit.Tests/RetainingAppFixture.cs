using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process that keeps 50 MB of AllocatingApp.RetainedRecord[] alive, for the heap profile tests.</summary>
public sealed class RetainingAppFixture : IDisposable
{
    public const string RetainedType = "AllocatingApp.RetainedRecord[]";

    public RetainingAppFixture()
    {
        Port = FreePort.Next();
        App = AllocatingAppProcess.Start($"127.0.0.1:{Port}", megabytes: 20, retainedMegabytes: 50);
        Assert.True(App.Sampling, "allocation sampling should run. stderr:\n" + App.StandardError);
    }

    internal AllocatingAppProcess App { get; }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/debug/pprof/{path}";

    public void Dispose() => App.Dispose();
}
