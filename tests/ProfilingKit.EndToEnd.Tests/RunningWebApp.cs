using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A fresh <c>dotnet new web</c> app from the packed package, with <paramref name="programSource"/> as its
/// Program.cs and EnableDebugPprof on a listener of its own, built into out/ and started; ready once its
/// Program.cs has printed "working" (<c>app.Lifetime.ApplicationStarted</c>).
/// </summary>
public sealed class RunningWebApp : IDisposable
{
    private readonly RunningProcess _process;

    public RunningWebApp(string name, string programSource, IReadOnlyDictionary<string, string>? environment = null, string configuration = "Debug")
    {
        var package = PackedPackage.Shared;
        var pprofPort = FreePort.Next();
        var webPort = FreePort.Next();
        var directory = package.CreateApp("web", name, programSource,
            $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{pprofPort}</DebugPprofAddress>");
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-c", configuration, "-o", output);

        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{webPort}" };
        _process = new RunningProcess(CommandLine.StartInfo(output, variables, [name + ".dll"]));
        while (_process.ReadLine(TimeSpan.FromSeconds(60)) != "working") { }

        Web = $"http://127.0.0.1:{webPort}";
        Profiles = $"http://127.0.0.1:{pprofPort}/debug/pprof/";
    }

    /// <summary>The app's own address, "http://127.0.0.1:PORT".</summary>
    public string Web { get; }

    /// <summary>Its profiles, "http://127.0.0.1:PORT/debug/pprof/": append a profile's name.</summary>
    public string Profiles { get; }

    public void Dispose() => _process.Dispose();
}
