using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>diff and -diff_base against go tool pprof -diff_base; async folding in top, on and off.</summary>
public sealed class DiffAndAsyncTests
{
    private static readonly Lazy<(string Base, string New)> DiffFiles = new(() =>
        (Fixtures.WriteFile(ProfileSerializer.ToGzipBytes(Fixtures.Allocations(scale: 0.5)), "base.pb.gz"),
         Fixtures.WriteFile(ProfileSerializer.ToGzipBytes(Fixtures.Allocations()), "new.pb.gz")));

    [Theory]
    [InlineData("top")]
    [InlineData("top", "-cum")]
    [InlineData("top", "-sample_index=alloc_objects")]
    [InlineData("peek", "Worker")]
    public void Diff_base_new_prints_what_go_tool_pprof_diff_base_prints(params string[] report)
    {
        var (baseFile, newFile) = DiffFiles.Value;
        string[] goReport = report[0] == "top" ? ["-top", .. report[1..]] : ["-peek=" + report[1]];

        var theirs = GoPprof.Run([.. goReport, "-diff_base=" + baseFile, newFile]).EnsureSuccess();
        var withFlag = ToolRun.Of([.. report, "-diff_base", baseFile, newFile]);

        Assert.Equal(theirs.StandardOutput, withFlag.Output);
        if (report[0] == "top")
        {
            var diffCommand = ToolRun.Of(["diff", .. report[1..], baseFile, newFile]);
            Assert.Equal(theirs.StandardOutput, diffCommand.Output);
        }
    }

    [Fact]
    public void A_diff_shows_growth_against_the_bases_total()
    {
        var (baseFile, newFile) = DiffFiles.Value;
        var before = Fixtures.Allocations(scale: 0.5);
        var after = Fixtures.Allocations();
        long AllocSpaceOf(Profile p, string leaf) => p.Sample.Where(s => LeafName(p, s) == leaf).Sum(s => s.Value[1]);

        var top = GoPprof.ParseTop(ToolRun.Of("diff", baseFile, newFile).Output);

        var grown = AllocSpaceOf(after, Fixtures.Alloc.FunctionName) - AllocSpaceOf(before, Fixtures.Alloc.FunctionName);
        Assert.True(grown > 0);
        Assert.Equal(grown, top.Row(Fixtures.Alloc.FunctionName).Flat, tolerance: grown * 0.0001);
        Assert.Equal(before.Sample.Sum(s => s.Value[1]), top.Total!.Value, tolerance: 0.01 * 1024);
        Assert.DoesNotContain(top.Rows, row => row.Name == Fixtures.Recurse.FunctionName); // the same in both: no change, no row
    }

    [Fact]
    public void Diff_needs_two_profiles()
    {
        var run = ToolRun.Of("diff", DiffFiles.Value.New);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("diff needs two profiles: dotnet pprof diff BASE NEW (or -diff_base BASE NEW)", run.Error);
    }

    [Fact]
    public void Top_folds_async_plumbing_by_default_and_prints_as_go_with_async_false()
    {
        var profile = AsyncHandlerProfile();
        var file = Fixtures.WriteFile(ProfileSerializer.ToGzipBytes(profile));

        var folded = GoPprof.ParseTop(ToolRun.Of("top", file).Output);
        var unfolded = ToolRun.Of("top", "-async=false", file);

        Assert.Equal(GoPprof.Run("-top", file).EnsureSuccess().StandardOutput, unfolded.Output);
        Assert.Contains(GoPprof.ParseTop(unfolded.Output).Rows, row => row.Name.Contains("ExecutionContext", StringComparison.Ordinal));
        Assert.DoesNotContain(folded.Rows, row => row.Name.StartsWith("System.Threading.", StringComparison.Ordinal)
            || row.Name.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal) || row.Name.EndsWith(".MoveNext", StringComparison.Ordinal));

        // The handler's work, first run and both resumptions, is one function carrying every sample.
        var total = profile.Sample.Sum(s => s.Value[1]);
        Assert.Equal(total, folded.Row("MyApp.Handler.HandleAsync").Cum, tolerance: 0.01 * 1024);
        Assert.Equal(total, folded.Row("System.String.Concat").Flat, tolerance: 0.01 * 1024);
    }

    /// <summary>One async handler's String.Concat: once on its first synchronous run, twice resumed from the thread pool by different paths.</summary>
    internal static Profile AsyncHandlerProfile()
    {
        // As the symbolizer writes them: a system name Type::Method, so pprof shows names with <> as they are.
        Frame F(string name, string? file = null, long line = 0) =>
            new Frame(name, file, line).WithSystemName(name[..name.LastIndexOf('.')] + "::" + name[(name.LastIndexOf('.') + 1)..]);
        var concat = F("System.String.Concat");
        var handlerMoveNext = F("MyApp.Handler+<HandleAsync>d__3.MoveNext", "/src/MyApp/Handler.cs", 24);
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample(
        [
            concat, handlerMoveNext,
            F("System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start"),
            F("System.Runtime.CompilerServices.AsyncTaskMethodBuilder.Start"),
            F("MyApp.Handler.HandleAsync", "/src/MyApp/Handler.cs", 18),
            F("Program+<Main>d__0.MoveNext", "/src/MyApp/Program.cs", 9),
            F("System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start"),
            F("Program.Main", "/src/MyApp/Program.cs", 5),
            F("Program.<Main>"),
        ], [1, 40_000, 0, 0]);
        builder.AddSample(
        [
            concat, handlerMoveNext,
            F("System.Threading.ExecutionContext.RunInternal"),
            F("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,MyApp.Handler+<HandleAsync>d__3].MoveNext"),
            F("System.Threading.ThreadPoolWorkQueue.Dispatch"),
            F("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart"),
            F("System.Threading.Thread.StartCallback"),
        ], [1, 50_000, 0, 0]);
        builder.AddSample(
        [
            concat, handlerMoveNext,
            F("System.Threading.ExecutionContext.RunFromThreadPoolDispatchLoop"),
            F("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,MyApp.Handler+<HandleAsync>d__3].ExecuteFromThreadPool"),
            F("System.Threading.ThreadPoolWorkQueue.Dispatch"),
            F("System.Threading.PortableThreadPool+WorkerThread.WorkerDoWork"),
            F("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart"),
            F("System.Threading.Thread.StartCallback"),
        ], [1, 60_000, 0, 0]);
        return builder.Build();
    }

    private static string LeafName(Profile profile, Sample sample)
    {
        var location = profile.Location.First(l => l.Id == sample.LocationId[0]);
        var function = profile.Function.First(f => f.Id == location.Line[^1].FunctionId);
        return profile.StringTable[(int)function.Name];
    }
}
