using System.IO.Compression;
using System.Net.Sockets;
using System.Xml.Linq;
using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

public class PackageTests : IClassFixture<FreshApps>
{
    private readonly FreshApps _apps;

    public PackageTests(FreshApps apps) => _apps = apps;

    [Fact]
    public void The_package_holds_runtime_generator_build_files_and_tasks_and_is_not_a_development_dependency()
    {
        using var package = ZipFile.OpenRead(_apps.Package.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net10.0/ProfilingKit.dll", entries);
        Assert.Contains("lib/net10.0/ProfilingKit.Pprof.dll", entries);
        Assert.Contains("lib/net10.0/ProfilingKit.Tracing.dll", entries);
        // Built against Roslyn 5.0: the versioned folder lets a build for a later Roslyn sit beside it.
        Assert.Contains("analyzers/dotnet/roslyn5.0/cs/ProfilingKit.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn5.0/cs/ProfilingKit.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/roslyn5.0/cs/ProfilingKit.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal));
        Assert.Contains("build/ProfilingKit.props", entries);
        Assert.Contains("buildTransitive/ProfilingKit.props", entries);
        Assert.Contains("build/ProfilingKit.targets", entries);
        // Test profiles are for projects that reference the package themselves: no targets in buildTransitive/.
        Assert.DoesNotContain("buildTransitive/ProfilingKit.targets", entries);
        // The testing-platform extension, outside lib/: only profiled Microsoft.Testing.Platform projects reference it.
        Assert.Contains("testing-platform/net10.0/ProfilingKit.Testing.Platform.dll", entries);
        Assert.DoesNotContain("lib/net10.0/ProfilingKit.Testing.Platform.dll", entries);
        Assert.Contains("buildMultiTargeting/ProfilingKit.targets", entries);
        // The MSBuild task with its .deps.json and private dependencies; MSBuild's own assemblies come from MSBuild.
        Assert.Contains("tasks/net10.0/ProfilingKit.Build.dll", entries);
        Assert.Contains("tasks/net10.0/ProfilingKit.Build.deps.json", entries);
        Assert.Contains("tasks/net10.0/ProfilingKit.Tracing.dll", entries);
        Assert.Contains("tasks/net10.0/ProfilingKit.Pprof.dll", entries);
        Assert.Contains("tasks/net10.0/Google.Protobuf.dll", entries);
        Assert.DoesNotContain(entries, entry => entry.StartsWith("tasks/", StringComparison.Ordinal) && entry.Contains("Microsoft.Build", StringComparison.Ordinal));
        Assert.Contains("README.md", entries);

        using var nuspecStream = package.GetEntry("ProfilingKit.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Null(metadata.Element(ns + "developmentDependency"));
        var dependencies = metadata.Descendants(ns + "dependency").Select(d => (string)d.Attribute("id")!).ToList();
        Assert.Contains("Google.Protobuf", dependencies);
        Assert.Contains("Microsoft.Diagnostics.NETCore.Client", dependencies);
        Assert.DoesNotContain(dependencies, id => id.StartsWith("ProfilingKit", StringComparison.Ordinal));
    }

    [Fact]
    public void With_EnableDebugPprof_go_tool_pprof_top_shows_the_apps_allocating_method_leading()
    {
        var url = StartEnabledApp(out var started);
        using var app = started;
        Thread.Sleep(TimeSpan.FromSeconds(2)); // let the worker allocate under sampling

        var result = GoPprof.Run("-top", url + "allocs").EnsureSuccess();

        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("alloc_space", report.Type);
        Assert.Equal(FreshApps.AllocatingMethod, report.Rows[0].Name);
        Assert.True(report.Rows[0].Flat > 10 * 1024 * 1024, $"the leading method should have allocated more than 10 MB: {result.StandardOutput}");
        Assert.Contains("File: " + FreshApps.AppName + ".dll\n", result.StandardOutput);
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
        Assert.DoesNotContain("Local symbolization failed", result.AllOutput);
        // The mapping is the app's assembly by its full path, as Go's is the binary's: no ^-anchored namespace pattern matches it.
        Assert.Matches($@"(?m)^1: \S+ /\S+/{System.Text.RegularExpressions.Regex.Escape(FreshApps.AppName)}\.dll  \[FN\]", GoPprof.Run("-raw", url + "allocs").EnsureSuccess().StandardOutput);
    }

    /// <summary>Every pprof-format profile on the index, as a user of the package gets it, with the sample type go tool pprof shows first.</summary>
    [Theory]
    [InlineData("heap", "inuse_space")]
    [InlineData("goroutine", "goroutine")]
    [InlineData("block", "delay")]
    [InlineData("mutex", "delay")]
    [InlineData("threadcreate", "threadcreate")]
    [InlineData("profile?seconds=1", "cpu")]
    [InlineData("wall?seconds=1", "wall")]
    [InlineData("allocs?seconds=1", "alloc_space")]
    public void Every_profile_of_the_packaged_endpoint_opens_in_go_tool_pprof(string profile, string sampleType)
    {
        var url = StartEnabledApp(out var app);
        using (app)
        {
            var result = GoPprof.Run("-top", url + profile).EnsureSuccess();

            Assert.Equal(sampleType, GoPprof.ParseTop(result.StandardOutput).Type);
            Assert.Contains("File: " + FreshApps.AppName, result.StandardOutput);
        }
    }

    [Fact]
    public async Task The_packaged_endpoint_serves_goroutine_stacks_with_the_apps_worker_and_a_nettrace_trace()
    {
        var url = StartEnabledApp(out var app);
        using (app)
        {
            Assert.Contains(FreshApps.WorkerMethod, GoPprof.Run("-traces", url + "goroutine").EnsureSuccess().StandardOutput);

            using var http = new HttpClient();
            var trace = await http.GetByteArrayAsync(url + "trace?seconds=1");
            Assert.True(trace.AsSpan().StartsWith("Nettrace"u8), "a trace should start with the nettrace magic");
        }
    }

    /// <summary>The seed post's command: localhost, not 127.0.0.1, against the default loopback address; no Host header is matched.</summary>
    [Fact]
    public void Go_tool_pprof_reaches_the_loopback_endpoint_by_localhost_as_in_the_seed_post()
    {
        var url = StartEnabledApp(out var app);
        using (app)
        {
            Assert.StartsWith("http://127.0.0.1:", url);
            var result = GoPprof.Run("-top", url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "allocs").EnsureSuccess();

            Assert.Equal("alloc_space", GoPprof.ParseTop(result.StandardOutput).Type);
        }
    }

    [Fact]
    public void The_run_time_variable_overrides_the_build_time_address()
    {
        var port = FreePort.Next();
        using var app = RunningApp.Start(_apps.EnabledOutput, new Dictionary<string, string> { ["PROFILINGKIT_PPROF_ADDRESS"] = $"127.0.0.1:{port}" });

        Assert.True(app.WaitForStandardError($"ProfilingKit: serving profiles at http://127.0.0.1:{port}/debug/pprof/", TimeSpan.FromSeconds(30)), app.StandardError);
        Assert.False(IsListening(_apps.BuildTimePort), "nothing should listen on the build-time port");
    }

    [Fact]
    public void Without_EnableDebugPprof_nothing_listens()
    {
        using var app = RunningApp.Start(_apps.DisabledOutput);
        Thread.Sleep(TimeSpan.FromSeconds(2)); // as long as the enabled app needs to start listening

        Assert.False(IsListening(_apps.BuildTimePort), "nothing should listen without EnableDebugPprof");
        Assert.Equal(0, app.Exit()); // stderr is complete once the app has exited
        Assert.DoesNotContain("ProfilingKit", app.StandardError);
    }

    /// <summary>Starts the app built with EnableDebugPprof and returns its endpoint's URL once it serves.</summary>
    private string StartEnabledApp(out RunningProcess app)
    {
        app = RunningApp.Start(_apps.EnabledOutput);
        var url = $"http://127.0.0.1:{_apps.BuildTimePort}/debug/pprof/";
        Assert.True(app.WaitForStandardError("ProfilingKit: serving profiles at " + url, TimeSpan.FromSeconds(30)), app.StandardError);
        return url;
    }

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
