using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// <c>dotnet pprof serve</c>, the sidecar, run as its own process next to a console app that never
/// referenced ProfilingKit: go tool pprof scrapes it like a Go program, and the app is left unharmed,
/// while the sidecar runs and after it is killed with SIGKILL.
/// </summary>
[Collection(AttachTargetProcess.Collection)]
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Go_tool_pprof_scrapes_the_sidecar_and_the_target_keeps_its_rate_while_attached_and_after_a_sigkill()
    {
        using var target = new AttachTargetProcess();
        using var control = new AttachTargetProcess(); // never attached: the yardstick for the target's rate
        var sessionsBefore = target.EventPipeThreads();
        var rateBefore = target.StepsPerCpuSecondAgainst(control, TimeSpan.FromSeconds(1), 3);

        var port = FreePort.Next();
        using var sidecar = StartTool("serve", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--address", $"127.0.0.1:{port}");
        Assert.True(sidecar.WaitForStandardError("serving profiles of", TimeSpan.FromSeconds(60)), sidecar.StandardError);
        var url = $"http://127.0.0.1:{port}/debug/pprof/";

        // allocs over a window in which the app allocates a known amount.
        var allocs = Task.Run(() => GoPprof.Run(["-top", "-sample_index=alloc_space", "-seconds", "8", url + "allocs"], TimeSpan.FromSeconds(90)));
        Thread.Sleep(2000); // go tool pprof's request starts the window; 8 s leave room either side
        var measured = target.Allocate(200);
        var allocsTop = GoPprof.ParseTop((await allocs).EnsureSuccess().StandardOutput);
        Assert.Equal(AttachTargetProcess.AllocatingMethod, allocsTop.Rows[0].Name);
        Assert.InRange(allocsTop.Rows[0].Flat / measured, 0.85, 1.15);

        var cpuTop = GoPprof.ParseTop(GoPprof.Run("-top", "-seconds", "3", url + "profile").EnsureSuccess().StandardOutput);
        Assert.Equal(AttachTargetProcess.BurningMethod, cpuTop.Rows[0].Name);

        var rateAttached = target.StepsPerCpuSecondAgainst(control, TimeSpan.FromSeconds(1), 3);

        // A long trace window holds a second session open (the CPU profile, sampled by the kernel, needs none of its own); SIGKILL the sidecar in the middle of it.
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var pending = client.GetAsync(url + "trace?seconds=60");
        Assert.True(CollectCommandTests.WaitFor(() => target.EventPipeThreads() >= sessionsBefore + 2), $"{target.EventPipeThreads()} EventPipe threads; {sessionsBefore} before serve");
        sidecar.Kill();

        // The runtime ends the sessions whose client went away: their threads end, and the app runs on.
        Assert.True(CollectCommandTests.WaitFor(() => target.EventPipeThreads() <= sessionsBefore), $"{target.EventPipeThreads()} EventPipe threads in the target after the sidecar died; {sessionsBefore} before serve");
        var rateAfter = target.StepsPerCpuSecondAgainst(control, TimeSpan.FromSeconds(1), 3);
        Assert.True(rateAttached > 0.8 * rateBefore, $"steps per CPU second, as a share of the control's: {rateBefore:0.00} before, {rateAttached:0.00} attached");
        Assert.True(rateAfter > 0.8 * rateBefore, $"steps per CPU second, as a share of the control's: {rateBefore:0.00} before, {rateAfter:0.00} after the SIGKILL");
        // Its server died mid-window: the request ends (an error, or a trace cut short), it does not hang.
        Assert.Same(pending, await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(30))));
        _ = pending.Exception;
    }

    [Fact]
    public void The_sidecar_asks_for_the_token_it_was_given_and_stops_when_the_target_exits()
    {
        var target = new AttachTargetProcess();
        var port = FreePort.Next();
        using var sidecar = StartTool(new Dictionary<string, string> { ["PROFILINGKIT_PPROF_TOKEN"] = "s3cret" }, "serve", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "--address", $"127.0.0.1:{port}");
        Assert.True(sidecar.WaitForStandardError("serving profiles of", TimeSpan.FromSeconds(60)), sidecar.StandardError);

        var refused = GoPprof.Run("-top", $"http://127.0.0.1:{port}/debug/pprof/goroutine");
        var served = GoPprof.Run("-top", $"http://pprof:s3cret@127.0.0.1:{port}/debug/pprof/goroutine");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Unauthorized", refused.AllOutput);
        Assert.Equal(1, GoPprof.ParseTop(served.EnsureSuccess().StandardOutput).Row(AttachTargetProcess.BurningMethod).Cum);

        target.Dispose(); // the app exits: stdin closed
        Assert.True(sidecar.WaitForStandardError("has exited; stopping", TimeSpan.FromSeconds(30)), sidecar.StandardError);
        Assert.Equal(0, sidecar.Exit());
    }

    /// <summary>The built tool as its own process (dotnet dotnet-pprof.dll), as a sidecar runs.</summary>
    internal static RunningProcess StartTool(params string[] arguments) => StartTool(new Dictionary<string, string>(), arguments);

    internal static RunningProcess StartTool(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "dotnet-pprof.dll") } };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) startInfo.Environment[name] = value;
        return new RunningProcess(startInfo);
    }
}
