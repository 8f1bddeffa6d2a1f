using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>Starts a built fresh app and waits for its "working" line; it ends when its stdin closes.</summary>
internal static class RunningApp
{
    public static RunningProcess Start(string outputDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var app = new RunningProcess(CommandLine.StartInfo(outputDirectory, environment ?? new Dictionary<string, string>(), new[] { FreshApps.AppName + ".dll" }));
        Assert.Equal("working", app.ReadLine(TimeSpan.FromSeconds(30)));
        return app;
    }
}
