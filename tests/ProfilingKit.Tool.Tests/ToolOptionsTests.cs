namespace ProfilingKit.Tool.Tests;

public class ToolOptionsTests
{
    [Theory]
    [InlineData("-cum", "-n", "5", "top", "a.pb.gz")]
    [InlineData("top", "--cum", "-n=5", "a.pb.gz")]
    [InlineData("-top", "-cum=true", "-nodecount", "5", "a.pb.gz")]
    [InlineData("a.pb.gz", "-n", "5", "-cum")]
    public void Gos_flag_forms_and_places_all_read_the_same(params string[] arguments)
    {
        var options = ToolOptions.Parse(arguments);

        Assert.Equal("top", options.Command);
        Assert.True(options.Cumulative);
        Assert.Equal(5, options.NodeCount);
        Assert.Equal(["a.pb.gz"], options.Sources);
    }

    [Fact]
    public void Gos_report_flags_pick_the_command_and_its_argument()
    {
        var list = ToolOptions.Parse(["-list=Burn.*", "cpu.pb.gz"]);
        var peek = ToolOptions.Parse(["peek", "String\\.Concat", "allocs.pb.gz"]);
        var web = ToolOptions.Parse(["-http", ":8080", "allocs.pb.gz"]);

        Assert.Equal(("list", "Burn.*"), (list.Command, list.CommandArgument));
        Assert.Equal(("peek", "String\\.Concat"), (peek.Command, peek.CommandArgument));
        Assert.Equal(("web", ":8080"), (web.Command, web.HttpAddress));
        Assert.Equal(["allocs.pb.gz"], web.Sources);
    }

    [Fact]
    public void For_collect_and_serve_n_names_the_process_as_in_dotnet_trace_and_for_reports_it_counts_nodes()
    {
        var collect = ToolOptions.Parse(["collect", "-n", "MyApp", "allocs", "-seconds", "5", "-o", "a.pb.gz"]);
        var serve = ToolOptions.Parse(["-n", "MyApp", "serve", "--address", "127.0.0.1:7070"]);
        var top = ToolOptions.Parse(["-n", "7", "top", "a.pb.gz"]);
        var byId = ToolOptions.Parse(["collect", "--process-id", "42", "--diagnostic-port", "/tmp/s", "heap"]);

        Assert.Equal(("collect", "allocs", "MyApp", 5, (int?)null), (collect.Command, collect.CommandArgument, collect.ProcessName, collect.Seconds, collect.NodeCount));
        Assert.Equal(("serve", "MyApp", "127.0.0.1:7070"), (serve.Command, serve.ProcessName, serve.Address));
        Assert.Equal((7, (string?)null), (top.NodeCount, top.ProcessName));
        Assert.Equal((42, "/tmp/s", "heap"), (byId.ProcessId, byId.DiagnosticPort, byId.CommandArgument));
    }

    [Fact]
    public void After_a_double_dash_everything_is_a_profile()
    {
        var options = ToolOptions.Parse(["top", "--", "-odd-name.pb.gz"]);

        Assert.Equal(["-odd-name.pb.gz"], options.Sources);
    }

    [Theory]
    [InlineData("unknown flag -frobnicate; `dotnet pprof -help` lists them", "-frobnicate", "a.pb.gz")]
    [InlineData("flag -n needs a value", "a.pb.gz", "-n")]
    [InlineData("flag -n takes a whole number of at least 0, not \"ten\"", "-n", "ten", "a.pb.gz")]
    [InlineData("flag -seconds takes a whole number of at least 1, not \"0\"", "-seconds=0", "http://x/")]
    [InlineData("flag -cum takes true or false, not \"yes\"", "-cum=yes", "a.pb.gz")]
    [InlineData("list needs a regular expression: dotnet pprof list REGEX PROFILE", "list")]
    public void A_bad_command_line_is_one_clear_line_and_exit_code_1(string error, params string[] arguments)
    {
        var run = ToolRun.Of(arguments);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(error, run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void A_focus_that_is_not_a_regular_expression_says_so()
    {
        var run = ToolRun.Of("-focus", "Burn(", "a.pb.gz");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("flag -focus: \"Burn(\" is not a regular expression:", run.Error);
    }

    [Fact]
    public void Help_names_every_command_and_every_flag_the_parser_knows()
    {
        var help = ToolRun.Of("-help").Output;
        foreach (var command in ToolOptions.Commands.Keys.Except(["help"])) Assert.Contains($"  {command} ", help);
        foreach (var flag in new[] { "cum", "flat", "n", "nodecount", "sample_index", "focus", "ignore", "tagfocus", "tagignore", "diff_base", "async", "seconds", "o", "http", "profile", "p", "process-id", "name", "diagnostic-port", "address" })
        {
            Assert.Matches($@"-{flag}\b", help);
        }
    }

    [Fact]
    public void Help_lists_the_commands_and_exits_0()
    {
        var run = ToolRun.Of("-help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: dotnet pprof", run.Output);
        Assert.Contains("top", run.Output);
    }
}
