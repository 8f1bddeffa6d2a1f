using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Pprof.Tests;

/// <summary>Async folding on stacks named as our symbolizer names them (Namespace.Type+Nested.Method, Type::Method system names).</summary>
public class AsyncFramesTests
{
    [Theory]
    [InlineData("MyApp.Handler+<HandleAsync>d__3.MoveNext", "MyApp.Handler.HandleAsync")]
    [InlineData("Program+<Main>d__0.MoveNext", "Program.Main")]
    [InlineData("Program+<>c+<<<Main>$>b__0_2>d.MoveNext", "Program+<>c.<<Main>$>b__0_2")]
    [InlineData("MyApp.Repo`1+<LoadAsync>d__4`1[System.__Canon].MoveNext", "MyApp.Repo`1.LoadAsync")]
    [InlineData("MyApp.Handler.MoveNext", null)]
    [InlineData("System.Collections.Generic.List`1+Enumerator[System.Int32].MoveNext", null)]
    [InlineData("MyApp.Handler.HandleAsync", null)]
    public void A_state_machines_move_next_is_named_as_its_method(string name, string? method) =>
        Assert.Equal(method, AsyncFrames.StateMachineMethod(name));

    [Fact]
    public void The_first_run_and_every_resumption_of_a_handler_fold_into_one_stack_of_user_frames()
    {
        var concat = Frame("System.String.Concat");
        var handler = Frame("MyApp.Handler+<HandleAsync>d__3.MoveNext", "/src/Handler.cs", 24);
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample(
        [
            concat, handler, Frame("System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start"),
            Frame("System.Runtime.CompilerServices.AsyncTaskMethodBuilder.Start"), Frame("MyApp.Handler.HandleAsync", "/src/Handler.cs", 18),
            Frame("MyApp.Server.Serve", "/src/Server.cs", 7),
        ], [1, 10, 0, 0], [SampleLabel.String("request", "r1")]);
        builder.AddSample(
        [
            concat, handler, Frame("System.Threading.ExecutionContext.RunInternal"),
            Frame("System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1+AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,MyApp.Handler+<HandleAsync>d__3].MoveNext"),
            Frame("System.Threading.ThreadPoolWorkQueue.Dispatch"), Frame("System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart"),
            Frame("System.Threading.Thread.StartCallback"),
        ], [1, 20, 0, 0]);
        builder.AddSample([Frame("MyApp.Tree.Walk"), Frame("MyApp.Tree.Walk"), Frame("MyApp.Tree.Walk")], [1, 5, 0, 0]);
        var profile = builder.Build();
        var before = profile.Clone();

        var folded = AsyncFrames.Fold(profile);

        var frames = new ProfileFrames(folded);
        string[] Names(int sample) => frames.Stack(folded.Sample[sample]).Select(f => f.Name).ToArray();
        Assert.Equal(["System.String.Concat", "MyApp.Handler.HandleAsync", "MyApp.Server.Serve"], Names(0));
        Assert.Equal(["System.String.Concat", "MyApp.Handler.HandleAsync"], Names(1));
        Assert.Equal(["MyApp.Tree.Walk", "MyApp.Tree.Walk", "MyApp.Tree.Walk"], Names(2)); // real recursion stays
        Assert.Equal([10L, 20L, 5L], folded.Sample.Select(s => s.Value[1]));
        Assert.Equal("r1", folded.StringTable[(int)folded.Sample[0].Label.Single().Str]);
        var handlerLine = frames.Stack(folded.Sample[1]).ElementAt(1);
        Assert.Equal(("/src/Handler.cs", 24L), (handlerLine.File, handlerLine.Line)); // the body's line, not the kickoff's
        Assert.Equal(before, profile);
        Assert.Equal(30, CallGraph.Build(folded, 1).Nodes.Single(n => n.Name == "MyApp.Handler.HandleAsync").Cum);
    }

    [Fact]
    public void A_profile_without_async_machinery_comes_back_as_it_is()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample([Frame("MyApp.Worker.Run"), Frame("Program.Main")], [1, 10, 0, 0]);
        var profile = builder.Build();

        Assert.Same(profile, AsyncFrames.Fold(profile));
    }

    private static Frame Frame(string name, string? file = null, long line = 0) =>
        new Frame(name, file, line).WithSystemName(name.Substring(0, name.LastIndexOf('.')) + "::" + name.Substring(name.LastIndexOf('.') + 1));
}
