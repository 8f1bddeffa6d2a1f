using System.Net;
using System.Net.Sockets;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>Start never throws into the app: each failure is one clear stderr line and the app runs on.</summary>
public class DebugPprofStartTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public void A_busy_port_is_one_clear_line_and_the_app_runs_on()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        using var app = AllocatingAppProcess.Start($"127.0.0.1:{port}", megabytes: 1);

        Assert.Equal("not listening", app.ListeningLine);
        Assert.True(app.AllocatedBytes > 0, "the app carried on with its work");
        Assert.True(app.WaitForStandardError($"ProfilingKit: error: cannot listen on 127.0.0.1:{port}"), app.StandardError);
        Assert.True(app.WaitForStandardError(DebugPprof.AddressVariable), app.StandardError);
        Assert.Equal(0, app.Exit());
    }

    [Fact]
    public async Task A_disabled_diagnostic_port_gives_one_line_and_a_503_that_go_tool_pprof_shows()
    {
        var port = FreePort.Next();
        using var app = AllocatingAppProcess.Start($"127.0.0.1:{port}", megabytes: 1, new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });

        Assert.StartsWith("listening", app.ListeningLine);
        Assert.False(app.Sampling);
        Assert.True(app.WaitForStandardError("ProfilingKit: error: allocation sampling is unavailable: the runtime's diagnostic port is disabled (DOTNET_EnableDiagnostics=0)."), app.StandardError);

        using var response = await Http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/allocs");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("DOTNET_EnableDiagnostics=0", await response.Content.ReadAsStringAsync());
        var pprof = GoPprof.Run("-top", $"http://127.0.0.1:{port}/debug/pprof/allocs");
        Assert.Contains("503 Service Unavailable - Could not collect profile: allocation sampling is unavailable", pprof.AllOutput);

        using var cpu = await Http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/profile?seconds=1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cpu.StatusCode);
        Assert.Equal("Could not enable CPU profiling: the runtime's diagnostic port is disabled (DOTNET_EnableDiagnostics=0).\n", await cpu.Content.ReadAsStringAsync());
        foreach (var path in new[] { "block", "mutex", "threadcreate", "goroutine", "goroutine?debug=2", "trace?seconds=1" })
        {
            using var unavailable = await Http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/{path}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Contains("DOTNET_EnableDiagnostics=0", await unavailable.Content.ReadAsStringAsync());
        }

        using var index = await Http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(0, app.Exit());
    }

    [Fact]
    public void A_malformed_address_is_one_line_naming_the_setting()
    {
        using var app = AllocatingAppProcess.Start("localhost", megabytes: 1);

        Assert.Equal("not listening", app.ListeningLine);
        Assert.True(app.WaitForStandardError("ProfilingKit: error: DebugPprofAddress: 'localhost' is not an address of the form host:port"), app.StandardError);
        Assert.Equal(0, app.Exit());
    }

    [Fact]
    public void The_environment_variable_overrides_the_address_and_off_disables()
    {
        var port = FreePort.Next();
        using (var app = AllocatingAppProcess.Start("127.0.0.1:1", megabytes: 1, new Dictionary<string, string> { [DebugPprof.AddressVariable] = $"127.0.0.1:{port}" }))
        {
            Assert.Equal($"listening http://127.0.0.1:{port}/debug/pprof/", app.ListeningLine);
        }

        using (var app = AllocatingAppProcess.Start($"127.0.0.1:{port}", megabytes: 1, new Dictionary<string, string> { [DebugPprof.AddressVariable] = "OFF" }))
        {
            Assert.Equal("not listening", app.ListeningLine);
            Assert.Equal(0, app.Exit()); // stderr is complete once the app has exited
            Assert.DoesNotContain("ProfilingKit", app.StandardError);
        }
    }

    [Fact]
    public void A_non_loopback_address_is_served_with_a_warning()
    {
        var port = FreePort.Next();
        using var app = AllocatingAppProcess.Start($":{port}", megabytes: 1);

        Assert.StartsWith("listening", app.ListeningLine);
        Assert.True(app.WaitForStandardError($"ProfilingKit: warning: the pprof endpoint listens on :{port}, which is reachable from other machines"), app.StandardError);
    }
}
