using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// <c>dotnet pprof collect</c> against a running console app that never referenced ProfilingKit
/// (<see cref="AttachTargetProcess"/>), every profile read by the real go tool pprof.
/// </summary>
[Collection(AttachTargetProcess.Collection)]
public sealed class CollectCommandTests : IClassFixture<AttachTargetProcess>, IDisposable
{
    private readonly AttachTargetProcess _target;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pk-collect-" + Guid.NewGuid().ToString("N"));

    public CollectCommandTests(AttachTargetProcess target)
    {
        _target = target;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Allocs_of_the_window_lead_with_the_allocating_method_within_15_percent_of_what_it_measured()
    {
        var file = Path.Combine(_folder, "allocs.pb.gz");
        var written = new StringWriter();
        var status = TextWriter.Synchronized(written); // its methods lock the writer itself, so reading under that lock is safe
        string Status()
        {
            lock (status) return written.ToString();
        }

        var exitCode = -1;
        var collect = new Thread(() => exitCode = new Tool(TextWriter.Null, status, interactive: false).Run(["collect", "-p", Id, "allocs", "-seconds", "8", "-o", file]));
        collect.Start();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Status().Contains("collecting allocs", StringComparison.Ordinal) && collect.IsAlive && DateTime.UtcNow < deadline) Thread.Sleep(50);

        Thread.Sleep(1000); // the window's start is taken just after "collecting" is printed; the window is 8 s
        var measured = _target.Allocate(200);
        Assert.True(collect.Join(TimeSpan.FromSeconds(60)), "collect did not finish");
        Assert.True(exitCode == 0, Status());

        var report = GoPprof.Run("-top", "-sample_index=alloc_space", file).EnsureSuccess();
        var top = GoPprof.ParseTop(report.StandardOutput);
        Assert.True(top.Rows.Count > 0, $"measured {measured}\n{report}\n{Status()}");
        var leader = top.Rows[0];
        Assert.True(leader.Name == AttachTargetProcess.AllocatingMethod, $"measured {measured}\n{report}\n{Status()}");
        Assert.InRange(leader.Flat / measured, 0.85, 1.15);

        // file:line through the target's own PDB, from its module events: the loop's line of Program.cs.
        var list = GoPprof.Run("-list=AllocateKnownBytes", "-sample_index=alloc_space", file).EnsureSuccess().StandardOutput;
        Assert.Contains("AttachTargetApp/Program.cs", list);
        Assert.Contains("Sink = new byte[1000]", list);
    }

    [Fact]
    public void Profile_leads_with_the_cpu_burner()
    {
        var top = Collect("profile", "-seconds", "3");

        Assert.Equal("cpu", top.Type);
        Assert.Equal(AttachTargetProcess.BurningMethod, top.Rows[0].Name);
    }

    [Fact]
    public void Wall_holds_the_sleeping_thread()
    {
        var top = Collect("wall", "-seconds", "3");

        Assert.Equal("wall", top.Type);
        Assert.True(top.Row(AttachTargetProcess.SleepingMethod).Cum > 2.0, "Park slept through the window");
    }

    [Theory]
    [InlineData("block")]
    [InlineData("mutex")]
    public void Contention_leads_with_the_lock_takers(string profile)
    {
        var top = Collect(profile, "-seconds", "3");

        Assert.Equal("delay", top.Type);
        Assert.True(top.Row(AttachTargetProcess.ContendingMethod).CumPercent > 90, "the two lock takers wait for each other");
    }

    [Fact]
    public void Goroutine_lists_each_thread_of_the_app()
    {
        var top = Collect("goroutine");

        Assert.Equal("goroutine", top.Type);
        Assert.Equal(1, top.Row(AttachTargetProcess.BurningMethod).Cum);
        Assert.Equal(2, top.Row(AttachTargetProcess.ContendingMethod).Cum);
        Assert.Equal(1, top.Row(AttachTargetProcess.SleepingMethod).Cum);
    }

    [Fact]
    public void The_mapping_is_the_attached_apps_dll_by_its_full_path()
    {
        // `dotnet AttachTargetApp.dll`: the app's .dll, not the host, and a path a namespace pattern cannot match.
        var file = Path.Combine(_folder, "goroutine-mapping.pb.gz");
        Assert.True(ToolRun.Of(["collect", "-p", Id, "goroutine", "-o", file]).ExitCode == 0);

        Assert.Contains($" {AttachTargetProcess.Dll}  [FN][FL][LN]", GoPprof.Run("-raw", file).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Heap_holds_the_retained_arrays_by_type()
    {
        var top = CollectAs("heap", "inuse_space");

        // 16 MB of RetainedRecord[1024] arrays of 64-byte records: 256 arrays of 65,560 bytes.
        Assert.InRange(top.Row(AttachTargetProcess.RetainedType).Flat, 256 * 65_560 * 0.99, 256 * 65_560 * 1.01);
    }

    [Fact]
    public void Trace_is_a_nettrace_that_convert_reads()
    {
        var file = Path.Combine(_folder, "trace.nettrace");
        var run = ToolRun.Of("collect", "-p", Id, "trace", "-seconds", "2", "-o", file);
        Assert.True(run.ExitCode == 0, run.Status);

        var magic = new byte[8];
        using (var stream = File.OpenRead(file)) stream.ReadExactly(magic);
        Assert.Equal("Nettrace"u8.ToArray(), magic);
        var converted = Path.Combine(_folder, "trace.cpu.pb.gz");
        Assert.Equal(0, ToolRun.Of("convert", "-profile", "cpu", "-o", converted, file).ExitCode);
        Assert.Equal(AttachTargetProcess.BurningMethod, GoPprof.ParseTop(GoPprof.Run("-top", converted).EnsureSuccess().StandardOutput).Rows[0].Name);
    }

    [Fact]
    public void The_target_is_found_by_name_and_by_its_diagnostic_port()
    {
        var byName = Path.Combine(_folder, "by-name.pb.gz");
        var byPort = Path.Combine(_folder, "by-port.pb.gz");
        var socket = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Id}-*-socket"));

        var nameRun = ToolRun.Of("collect", "-n", "AttachTargetApp", "goroutine", "-o", byName);
        var portRun = ToolRun.Of("collect", "--diagnostic-port", socket, "goroutine", "-o", byPort);

        Assert.True(nameRun.ExitCode == 0, nameRun.Status);
        Assert.True(portRun.ExitCode == 0, portRun.Status);
        foreach (var file in new[] { byName, byPort })
        {
            Assert.Equal(1, GoPprof.ParseTop(GoPprof.Run("-top", file).EnsureSuccess().StandardOutput).Row(AttachTargetProcess.BurningMethod).Cum);
        }
    }

    [Fact]
    public void Ps_lists_the_target_with_its_command_line()
    {
        var run = ToolRun.Of("ps");

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n'), line => line.TrimStart().StartsWith(Id + " ", StringComparison.Ordinal));
        Assert.Contains("AttachTargetApp.dll", line);
    }

    [Fact]
    public void Each_collect_leaves_no_session_in_the_target()
    {
        var before = _target.EventPipeThreads();

        Collect("goroutine");
        Collect("block", "-seconds", "1");

        Assert.True(WaitFor(() => _target.EventPipeThreads() <= before), $"{_target.EventPipeThreads()} EventPipe threads in the target, {before} before collect");
    }

    private string Id => _target.Id.ToString(CultureInfo.InvariantCulture);

    private GoPprof.TopReport Collect(string profile, params string[] flags) => CollectAs(profile, null, flags);

    private GoPprof.TopReport CollectAs(string profile, string? sampleIndex, params string[] flags)
    {
        var file = Path.Combine(_folder, profile + "-" + Guid.NewGuid().ToString("N") + ".pb.gz");
        var run = ToolRun.Of(["collect", "-p", Id, profile, "-o", file, .. flags]);
        Assert.True(run.ExitCode == 0, run.Status);
        Assert.Contains($"wrote {file}", run.Status);
        string[] arguments = sampleIndex is null ? ["-top", file] : ["-top", "-sample_index=" + sampleIndex, file];
        return GoPprof.ParseTop(GoPprof.Run(arguments).EnsureSuccess().StandardOutput);
    }

    internal static bool WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(100);
        }

        return true;
    }
}
