using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>
/// PROFILINGKIT_GCTRACE=1 in tests/TestApps/GcTraceApp, an app with the package's generator but no
/// EnableDebugPprof: one parsable line per GC on stderr, numbers that agree with the runtime's own.
/// </summary>
public class GcTraceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Every_gc_gets_one_line_with_plausible_numbers()
    {
        var run = Run(new Dictionary<string, string> { [GcTrace.Variable] = "1" });
        var lines = run.Lines;

        var traced = lines.Where(l => l.Number > run.First && l.Number <= run.Last).Select(l => l.Number).ToList();
        Assert.Equal(traced.Count, traced.Distinct().Count());
        var expected = run.Last - run.First;
        Assert.True(traced.Count >= expected - 1 && traced.Count <= expected, $"{traced.Count} lines for {expected} GCs (GC.CollectionCount(0) delta).\n{run.StandardError}");

        foreach (var line in lines)
        {
            Assert.All(line.FirstPause, phase => Assert.True(phase is null or >= 0));
            Assert.InRange(line.UptimeSeconds, 0, 120);
            Assert.InRange(line.PausePercent ?? 0, 0, 100);
            Assert.Equal(1, line.Heaps); // workstation GC
            Assert.True(line.HeapAfterMb is >= 0 and < 1000, line.ToString());
        }
    }

    [Fact]
    public void Induced_gcs_say_induced_with_their_generation_and_a_full_gc_of_garbage_shrinks_the_heap()
    {
        var run = Run(new Dictionary<string, string> { [GcTrace.Variable] = "1" });

        var gen0 = run.Lines.Single(l => l.Number == run.Gen0);
        Assert.Equal((0, "Induced", "NonConcurrent"), (gen0.Generation, gen0.Reason, gen0.Kind));
        Assert.All(gen0.FirstPause, phase => Assert.NotNull(phase));

        var gen2 = run.Lines.Single(l => l.Number == run.Gen2);
        Assert.Equal((2, "Induced", "NonConcurrent"), (gen2.Generation, gen2.Reason, gen2.Kind));
        Assert.NotNull(gen2.HeapBeforeMb); // the app waits after GC.Collect, so GCMemoryInfo still describes it
        Assert.True(gen2.HeapBeforeMb - gen2.HeapAfterMb >= 15, $"20 MB of garbage should be collected: {gen2}");
        Assert.NotNull(gen2.Gen0BudgetMb);
    }

    [Fact]
    public void A_background_gc_shows_both_pauses_and_question_marks_where_the_runtime_says_nothing()
    {
        var run = Run(new Dictionary<string, string> { [GcTrace.Variable] = "1" });

        var background = run.Lines.Where(l => l.Kind == "Background").ToList();
        Assert.True(background.Count > 0, "growing long-lived data should make the runtime run a background GC.\n" + run.StandardError);
        Assert.All(background, line => Assert.Equal(2, line.Generation));
        Assert.All(background, line => Assert.NotNull(line.FinalPause));

        // The first background GC of a process may end inside its first pause (the runtime creates its
        // background thread then): no final pause, printed as ?+?+?, not made up. The others mark
        // concurrently, pause a second time, and report no gen0 budget: ?, where 0 would be invented.
        var concurrent = background.Where(line => line.FinalPause!.All(phase => phase is not null)).ToList();
        Assert.NotEmpty(concurrent);
        Assert.All(concurrent, line => Assert.True(line.ConcurrentMs >= 0, line.ToString()));
        Assert.All(concurrent, line => Assert.Null(line.Gen0BudgetMb));
    }

    [Fact]
    public void Without_the_variable_nothing_is_printed()
    {
        var run = Run(new Dictionary<string, string>());

        Assert.Empty(run.Lines);
        Assert.Equal("", run.StandardError.Trim());
    }

    [Fact]
    public void It_needs_no_diagnostic_port()
    {
        var run = Run(new Dictionary<string, string> { [GcTrace.Variable] = "1", ["DOTNET_EnableDiagnostics"] = "0" });

        Assert.Contains(run.Lines, l => l.Number == run.Gen2 && l.Reason == "Induced");
    }

    [Fact]
    public void DebugPprof_Start_starts_it_in_an_app_without_the_generator()
    {
        using var app = AllocatingAppProcess.Start($"127.0.0.1:{FreePort.Next()}", megabytes: 100, new Dictionary<string, string> { [GcTrace.Variable] = "1" });

        // The runtime hands GC events to the listener on a thread of its own, a little later: on a
        // busy machine the app can finish allocating before the first line is out, and exit without it.
        Assert.True(app.WaitForStandardError("gc "), "no gctrace line on stderr:\n" + app.StandardError);
        Assert.Equal(0, app.Exit());
        Assert.NotEmpty(TracedGcLine.ParseAll(app.StandardError)); // 100 MB in 1 KB arrays needs several gen0 GCs
    }

    [Fact]
    public void A_value_other_than_1_is_one_warning()
    {
        var run = Run(new Dictionary<string, string> { [GcTrace.Variable] = "2" });

        Assert.Empty(run.Lines);
        Assert.Contains("ProfilingKit: warning: PROFILINGKIT_GCTRACE='2' is not understood", run.StandardError);
    }

    private static AppRun Run(Dictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GcTraceApp.dll"));
        startInfo.Environment.Remove(GcTrace.Variable);
        foreach (var (name, value) in environment) startInfo.Environment[name] = value;

        using var process = new RunningProcess(startInfo);
        var reported = new Dictionary<string, int>();
        for (var i = 0; i < 4; i++)
        {
            var parts = process.ReadLine(Timeout).Split(' ');
            reported[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        Assert.Equal(0, process.Exit());
        var stderr = process.StandardError;
        return new AppRun(reported["first"], reported["gen0"], reported["gen2"], reported["last"], TracedGcLine.ParseAll(stderr), stderr);
    }

    private sealed record AppRun(int First, int Gen0, int Gen2, int Last, List<TracedGcLine> Lines, string StandardError);
}
