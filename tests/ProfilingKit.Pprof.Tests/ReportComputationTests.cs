using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Pprof.Tests;

/// <summary>The report computations on profiles built here, with expectations worked out from the samples by pprof's rules.</summary>
public class ReportComputationTests
{
    private static readonly Frame Main = new("Program.Main", "/src/Program.cs", 5);
    private static readonly Frame Run = new("MyApp.Worker.Run", "/src/Worker.cs", 20);
    private static readonly Frame Alloc = new("MyApp.Worker.Alloc", "/src/Worker.cs", 40);
    private static readonly Frame Walk = new("MyApp.Tree.Walk", "/src/Tree.cs", 9);
    private static readonly Frame ParseInlining = new("MyApp.Json.Parse", "/src/Json.cs", 3, [new Frame("MyApp.Json.Peek", "/src/Json.cs", 30)]);

    [Theory]
    [InlineData(1_000_000, "bytes", "kB", "976.56kB")] // 976.5625
    [InlineData(1_152, "bytes", "kB", "1.12kB")]      // 1.125 exactly: Go rounds the tie to even
    [InlineData(1_408, "bytes", "kB", "1.38kB")]      // 1.375 exactly: to even is up
    [InlineData(2_048, "bytes", "kB", "2kB")]         // ".00" is cut
    [InlineData(0, "bytes", "MB", "0")]
    [InlineData(1_500_000_000, "nanoseconds", "auto", "1.50s")]
    [InlineData(440_000_000, "nanoseconds", "ms", "440ms")]
    [InlineData(7, "count", "minimum", "7")]
    [InlineData(-3_145_728, "bytes", "auto", "-3MB")]
    public void Values_scale_and_round_as_gos_measurement(long value, string from, string to, string expected) =>
        Assert.Equal(expected, Measurement.ScaledLabel(value, from, to));

    [Theory]
    [InlineData(1, 3, "33.33%")]
    [InlineData(1, 300, " 0.33%")]
    [InlineData(0, 5, "    0%")]
    [InlineData(1, 100_000, "0.001%")]
    [InlineData(1, 10_000_000, "1e-05%")]
    [InlineData(9_996, 10_000, "  100%")]
    [InlineData(-1, 4, "25.00%")]
    public void Percentages_are_six_wide_with_two_significant_digits_below_one_percent(long value, long total, string expected) =>
        Assert.Equal(expected, Measurement.Percentage(value, total));

    [Fact]
    public void The_sample_index_is_the_default_type_else_the_last_and_names_numbers_and_inuse_prefixes_work()
    {
        var allocs = Build(b => b.SetDefaultSampleType(ProfileTypes.AllocSpace));
        var heap = Build(_ => { });

        Assert.Equal(1, SampleIndex.Resolve(allocs, null));
        Assert.Equal(3, SampleIndex.Resolve(heap, ""));
        Assert.Equal(0, SampleIndex.Resolve(heap, "0"));
        Assert.Equal(2, SampleIndex.Resolve(heap, "inuse_objects"));
        var error = Assert.Throws<ArgumentException>(() => SampleIndex.Resolve(heap, "cpu"));
        Assert.StartsWith("sample_index \"cpu\" must be one of: [alloc_objects alloc_space inuse_objects inuse_space]", error.Message);
        Assert.StartsWith("sample_index 4 is outside the range [0..3]", Assert.Throws<ArgumentException>(() => SampleIndex.Resolve(heap, "4")).Message);
    }

    [Fact]
    public void Flat_goes_to_the_leaf_and_cum_counts_a_sample_once_per_function_even_in_recursion()
    {
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 100, 0, 0]);
            b.AddSample([Walk, Walk, Walk, Run, Main], [1, 30, 0, 0]);
            b.AddSample([Run, Main], [1, 7, 0, 0]);
            b.AddSample([Alloc, Main], [1, 0, 0, 0]); // zero in this type: no effect
        });

        var graph = CallGraph.Build(profile, 1);
        var nodes = graph.Nodes.ToDictionary(n => n.Name);

        Assert.Equal(137, graph.Total);
        Assert.Equal((100, 100), (nodes[Alloc.FunctionName].Flat, nodes[Alloc.FunctionName].Cum));
        Assert.Equal((30, 30), (nodes[Walk.FunctionName].Flat, nodes[Walk.FunctionName].Cum));
        Assert.Equal((7, 137), (nodes[Run.FunctionName].Flat, nodes[Run.FunctionName].Cum));
        Assert.Equal((0, 137), (nodes[Main.FunctionName].Flat, nodes[Main.FunctionName].Cum));
        var callees = nodes[Run.FunctionName].Callees;
        Assert.Equal([(Alloc.FunctionName, 100L), (Walk.FunctionName, 30L)], callees.Select(e => (e.Callee.Name, e.Weight)));
        Assert.Equal((Main.FunctionName, 137L), (Assert.Single(nodes[Run.FunctionName].Callers).Caller.Name, nodes[Run.FunctionName].Callers[0].Weight));
        Assert.Empty(nodes[Walk.FunctionName].Callees); // self-calls are no edges
    }

    [Fact]
    public void Inlined_frames_are_nodes_of_their_own_marked_inline()
    {
        var profile = Build(b => b.AddSample([ParseInlining, Main], [1, 10, 0, 0]));

        var nodes = CallGraph.Build(profile, 1).Nodes.ToDictionary(n => n.Name);

        Assert.Equal(10, nodes["MyApp.Json.Peek"].Flat);
        Assert.Equal("(inline)", nodes["MyApp.Json.Peek"].InlineLabel);
        Assert.Equal("", nodes[ParseInlining.FunctionName].InlineLabel);
        Assert.Equal(10, nodes[ParseInlining.FunctionName].Cum);
    }

    [Fact]
    public void Top_drops_functions_below_the_node_fraction_sorts_and_counts()
    {
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 10_000, 0, 0]);
            b.AddSample([Walk, Main], [1, 49, 0, 0]); // cum 49 < (long)(10_049 * 0.005) = 50: dropped
            b.AddSample([Run, Main], [1, 60, 0, 0]);
        });
        var graph = CallGraph.Build(profile, 1);

        var byFlat = TopTable.Select(graph, byCum: false, nodeCount: null);
        var byCum = TopTable.Select(graph, byCum: true, nodeCount: 2);

        Assert.Equal(50, byFlat.DropCutoff);
        Assert.Equal(1, byFlat.DroppedNodes);
        Assert.Equal([Alloc.FunctionName, Run.FunctionName, Main.FunctionName], byFlat.Rows.Select(r => r.Name));
        Assert.Equal(10_060, byFlat.ShownFlat);
        Assert.Equal([Main.FunctionName, Run.FunctionName], byCum.Rows.Select(r => r.Name));
        Assert.Equal(3, byCum.NodesBeforeCount);
    }

    [Fact]
    public void Focus_keeps_samples_with_any_matching_frame_and_ignore_drops_them_whatever_focus_says()
    {
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 1, 0, 0]);
            b.AddSample([Walk, Run, Main], [1, 2, 0, 0]);
            b.AddSample([Walk, Main], [1, 4, 0, 0]);
        });

        long Sum(ProfileFilterResult r) => r.Profile.Sample.Sum(s => s.Value[1]);

        Assert.Equal(3, Sum(ProfileFilter.Apply(profile, new Regex("Worker\\.Run"), null)));
        Assert.Equal(6, Sum(ProfileFilter.Apply(profile, new Regex("Tree\\.cs"), null))); // file names match too
        Assert.Equal(2, Sum(ProfileFilter.Apply(profile, new Regex("Run"), new Regex("Alloc"))));
        Assert.Equal(7, Sum(ProfileFilter.Apply(profile, new Regex("MyApp\\.dll"), null))); // and the mapping's binary
        var none = ProfileFilter.Apply(profile, new Regex("Nothing"), null);
        Assert.False(none.FocusMatched);
        Assert.Empty(none.Profile.Sample);
        Assert.Equal(3, profile.Sample.Count); // the input is untouched
    }

    [Theory]
    [InlineData("thread=worker-1", 1 + 4)]
    [InlineData("thread=worker-[12]", 1 + 2 + 4)]
    [InlineData("thread:worker-2", 2)]          // bare: matches key:value
    [InlineData("worker-1,gc", 0)]              // every bare regex must match some label
    [InlineData("64kb", 1)]                     // == 64kB
    [InlineData(":1kb", 2)]                     // <= 1kB
    [InlineData("bytes=2kb:", 1 + 8)]           // >= 2kB
    [InlineData("100b:2kb", 2)]
    public void Tag_filters_read_gos_forms(string filter, long expected)
    {
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Main], [1, 1, 0, 0], [SampleLabel.String("thread", "worker-1"), SampleLabel.Numeric("bytes", 65_536, "bytes")]);
            b.AddSample([Alloc, Main], [1, 2, 0, 0], [SampleLabel.String("thread", "worker-2"), SampleLabel.Numeric("bytes", 512)]);
            b.AddSample([Alloc, Main], [1, 4, 0, 0], [SampleLabel.String("thread", "worker-1")]);
            b.AddSample([Alloc, Main], [1, 8, 0, 0], [SampleLabel.String("gc", "yes"), SampleLabel.Numeric("bytes", 4_096)]);
        });

        var kept = ProfileFilter.Apply(profile, null, null, TagFilter.Parse(filter)).Profile;

        Assert.Equal(expected, kept.Sample.Sum(s => s.Value[1]));
    }

    [Fact]
    public void A_diff_negates_the_base_labels_it_and_takes_the_bases_total()
    {
        var before = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 100, 0, 0]);
            b.AddSample([Walk, Main], [1, 40, 0, 0]);
        });
        var after = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 250, 0, 0]);
            b.AddSample([Walk, Main], [1, 10, 0, 0]);
        });

        var diff = ProfileDiff.Against(before, after);
        var graph = CallGraph.Build(diff, 1);
        var nodes = graph.Nodes.ToDictionary(n => n.Name);

        Assert.Equal(140, graph.Total);
        Assert.Equal(150, nodes[Alloc.FunctionName].Flat);
        Assert.Equal(-30, nodes[Walk.FunctionName].Flat);
        Assert.Equal(120, nodes[Main.FunctionName].Cum);
        Assert.All(diff.Sample.Where(s => s.Value[1] < 0), s => Assert.Contains(s.Label, l => diff.StringTable[(int)l.Key] == CallGraph.DiffBaseLabel));
        Assert.Equal(100, before.Sample[0].Value[1]); // the inputs are untouched
    }

    [Fact]
    public void Tags_sum_each_label_value_and_format_numbers_in_their_unit()
    {
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Main], [1, 10, 0, 0], [SampleLabel.String("thread", "a"), SampleLabel.Numeric("bytes", 2_048, "bytes")]);
            b.AddSample([Alloc, Main], [1, 30, 0, 0], [SampleLabel.String("thread", "b"), SampleLabel.Numeric("bytes", 2_048, "bytes")]);
            b.AddSample([Alloc, Main], [1, 5, 0, 0], [SampleLabel.String("thread", "a")]);
        });

        var tags = TagSummary.Build(profile, 1);

        Assert.Equal(["bytes", "thread"], tags.Select(t => t.Key));
        Assert.Equal([("2kB", 40L)], tags[0].Values.Select(v => (v.Name, v.Value)));
        Assert.Equal([("b", 30L), ("a", 15L)], tags[1].Values.Select(v => (v.Name, v.Value)));
        Assert.Equal(45, tags[1].Total);
    }

    [Fact]
    public void Source_lines_carry_flat_and_cum_per_line_of_the_matching_functions()
    {
        var runLine21 = new Frame(Run.FunctionName, "/src/Worker.cs", 21);
        var profile = Build(b =>
        {
            b.AddSample([Alloc, Run, Main], [1, 100, 0, 0]);
            b.AddSample([Alloc, runLine21, Main], [1, 20, 0, 0]);
            b.AddSample([runLine21, Main], [1, 3, 0, 0]);
        });

        var lines = SourceLines.Build(profile, 1, new Regex("Worker\\.Run")).ToDictionary(l => l.Line);

        Assert.Equal([20L, 21L], lines.Keys.Order());
        Assert.Equal((0, 100), (lines[20].Flat, lines[20].Cum));
        Assert.Equal((3, 23), (lines[21].Flat, lines[21].Cum));
    }

    private static Profile Build(Action<ProfileBuilder> samples)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        samples(builder);
        return builder.Build();
    }
}
