using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// dotnet pprof against the real go tool pprof on the same files: profiles a Go program wrote and
/// our own fixtures. Every report must print what Go prints, to the character (GoPprof runs Go with
/// TZ=UTC, and the tool prints times in UTC); the top tables are also compared parsed, row by row,
/// so that a failure names the number that differs.
/// </summary>
public sealed class GoPprofComparisonTests(GoProgramProfiles go) : IClassFixture<GoProgramProfiles>
{
    private static readonly Lazy<string> AllocationsFile = new(() => Fixtures.WriteFile(ProfileSerializer.ToGzipBytes(Fixtures.Allocations())));

    public static TheoryData<string[]> GoHeapReports => new()
    {
        new[] { "-top" },
        new[] { "-top", "-cum" },
        new[] { "-top", "-sample_index=alloc_space" },
        new[] { "-top", "-sample_index=alloc_objects" },
        new[] { "-top", "-sample_index=1" },
        new[] { "-top", "-nodecount=3" },
        new[] { "-top", "-focus=allocLarge" },
        new[] { "-top", "-ignore=allocLarge" },
        new[] { "-top", "-tagfocus=64kb:" },
        new[] { "-top", "-tagfocus=bytes=:1kb" },
        new[] { "-traces" },
        new[] { "-tags" },
        new[] { "-peek=main\\.alloc" },
        new[] { "-list=main\\.alloc" },
    };

    public static TheoryData<string[]> GoCpuReports => new()
    {
        new[] { "-top" },
        new[] { "-top", "-cum" },
        new[] { "-top", "-sample_index=samples" },
        new[] { "-top", "-tagfocus=phase=hot" },
        new[] { "-top", "-tagignore=phase=hot" },
        new[] { "-top", "-tagfocus=warm" },
        new[] { "-top", "-focus=burnA", "-cum" },
        new[] { "-traces" },
        new[] { "-tags" },
        new[] { "-peek=main\\.burn" },
        new[] { "-list=main\\.burn" },
    };

    public static TheoryData<string[]> FixtureReports => new()
    {
        new[] { "-top" },
        new[] { "-top", "-cum" },
        new[] { "-top", "-sample_index=alloc_objects" },
        new[] { "-top", "-sample_index=inuse_space" },
        new[] { "-top", "-nodecount=4" },
        new[] { "-top", "-cum", "-nodecount=2" },
        new[] { "-top", "-focus=Worker" },
        new[] { "-top", "-ignore=Concat" },
        new[] { "-top", "-focus=Main", "-ignore=Tree" },
        new[] { "-top", "-focus=Json\\.cs" },
        new[] { "-top", "-tagfocus=thread=worker-[12]" },
        new[] { "-top", "-tagignore=thread=worker-1" },
        new[] { "-top", "-tagfocus=:50kb" },
        new[] { "-top", "-focus=nothing-matches-this" },
        new[] { "-traces" },
        new[] { "-traces", "-sample_index=inuse_objects" },
        new[] { "-tags" },
        new[] { "-tags", "-sample_index=alloc_objects" },
        new[] { "-peek=Worker|Walk" },
        new[] { "-peek=Json" },
        new[] { "-list=Worker\\.Run" },
        new[] { "-list=Tail.F0[12]" },
    };

    [Theory]
    [MemberData(nameof(GoHeapReports))]
    public void Reports_on_a_Go_heap_profile_print_as_go_tool_pprof(string[] arguments) => AssertSameAsGo(arguments, go.Heap);

    [Theory]
    [MemberData(nameof(GoCpuReports))]
    public void Reports_on_a_Go_cpu_profile_print_as_go_tool_pprof(string[] arguments) => AssertSameAsGo(arguments, go.Cpu);

    [Theory]
    [MemberData(nameof(FixtureReports))]
    public void Reports_on_our_allocation_profile_print_as_go_tool_pprof(string[] arguments) => AssertSameAsGo(arguments, AllocationsFile.Value);

    [Fact]
    public void The_go_program_wrote_what_the_comparisons_need()
    {
        var heap = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=alloc_space", go.Heap).EnsureSuccess().StandardOutput);
        var cpu = GoPprof.ParseTop(GoPprof.Run("-top", go.Cpu).EnsureSuccess().StandardOutput);

        Assert.True(heap.Row("main.allocLarge").Flat > heap.Row("main.allocSmall").Flat);
        Assert.Contains(cpu.Rows, row => row.Name == "main.burnA");
        var list = GoPprof.Run("-list=main.allocSmall", go.Heap).EnsureSuccess().StandardOutput;
        Assert.True(list.Contains("make([]byte, 512)", StringComparison.Ordinal), list);
    }

    [Fact]
    public void Dash_n_reads_as_gos_nodecount()
    {
        var ours = ToolRun.Of("top", "-n", "3", AllocationsFile.Value);
        var theirs = GoPprof.Run("-top", "-nodecount=3", AllocationsFile.Value).EnsureSuccess();

        Assert.Equal(theirs.StandardOutput, ours.Output);
    }

    [Theory]
    [InlineData("-list=NoSuchFunction")]
    [InlineData("-peek=NoSuchFunction")]
    public void A_list_or_peek_that_matches_nothing_fails_with_gos_line(string argument)
    {
        var theirs = GoPprof.Run(argument, AllocationsFile.Value);
        var ours = ToolRun.Of(argument, AllocationsFile.Value);

        Assert.Equal(1, theirs.ExitCode);
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal(theirs.StandardError.Trim(), ours.Error);
        Assert.Equal("no matches found for regexp: NoSuchFunction", ours.Error);
    }

    [Fact]
    public void A_focus_that_matches_nothing_warns_as_go_does_and_shows_an_empty_table()
    {
        var theirs = GoPprof.Run("-top", "-focus=NoSuchFunction", AllocationsFile.Value).EnsureSuccess();
        var ours = ToolRun.Of("-top", "-focus=NoSuchFunction", AllocationsFile.Value);

        Assert.Equal(0, ours.ExitCode);
        Assert.Contains("Focus expression matched no samples", theirs.StandardError);
        Assert.Contains("Focus expression matched no samples", ours.Status);
        Assert.Equal(theirs.StandardOutput, ours.Output);
    }

    [Fact]
    public void A_sample_index_that_does_not_exist_lists_those_that_do()
    {
        var theirs = GoPprof.Run("-top", "-sample_index=cpu", AllocationsFile.Value);
        var ours = ToolRun.Of("-top", "-sample_index=cpu", AllocationsFile.Value);

        Assert.NotEqual(0, theirs.ExitCode);
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal("sample_index \"cpu\" must be one of: [alloc_objects alloc_space inuse_objects inuse_space]", ours.Error);
        Assert.Contains(ours.Error, theirs.StandardError);
    }

    private static void AssertSameAsGo(string[] arguments, string file)
    {
        var theirs = GoPprof.Run([.. arguments, file]);
        var ours = ToolRun.Of([.. arguments, file]);

        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.True(ours.ExitCode == 0, ours.Status);
        if (arguments[0] == "-top")
        {
            var expected = GoPprof.ParseTop(theirs.StandardOutput);
            var actual = GoPprof.ParseTop(ours.Output);
            Assert.Equal(expected.Type, actual.Type);
            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.Rows, actual.Rows);
        }

        // list searches relative files from the current folder; Go's runs in a temp folder of its own.
        Assert.Equal(WithoutSearchPath(theirs.StandardOutput), WithoutSearchPath(ours.Output));
    }

    private static string WithoutSearchPath(string output) => System.Text.RegularExpressions.Regex.Replace(output, @" on path \S+", " on path (cwd)");
}
