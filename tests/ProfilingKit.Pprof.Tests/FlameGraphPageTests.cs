using System.Text.Json;
using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Viewer;
using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

public class FlameGraphPageTests
{
    private static readonly Frame Main = new("Program.Main", "Program.cs", 10);
    private static readonly Frame MoveNext = new("Program+<Main>d__0.MoveNext", "Program.cs", 12);
    private static readonly Frame Generic = new("System.Collections.Generic.List<System.String>.Add");
    private static readonly Frame Hostile = new("Evil</script><script>alert('x&y')</script>\"\u2028");
    private static readonly Frame Tiny = new("Tiny.Path");

    private static Proto.Profile Allocs(long tiny = 0)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll")
            .SetPeriod(ProfileTypes.MemoryPeriod, 524288)
            .SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample([Generic, MoveNext, Main], [10, 1_000_000, 0, 0]);
        builder.AddSample([Hostile, MoveNext, Main], [2, 2_000, 2, 2_000]);
        builder.AddSample([MoveNext, Main], [1, 4_096, 1, 4_096]);
        builder.AddSample([Generic, MoveNext, Main], [5, 500_000, 0, 0]); // the same path again: one node
        if (tiny > 0) builder.AddSample([Tiny, Main], [0, tiny, 0, 0]);
        return builder.Build();
    }

    [Fact]
    public void Names_with_markup_round_trip_through_the_embedded_json_and_never_leave_its_script_element()
    {
        var html = FlameGraphPage.Render(Allocs(), new FlameGraphOptions { Title = "<b>title</b>" });

        // Two script elements, two ends: a name's </script> is \u003c/script\u003e in the data.
        Assert.Equal(2, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count);
        Assert.DoesNotContain("<b>title</b>", html);
        Assert.Contains("&lt;b&gt;title&lt;/b&gt;", html);
        var names = FlameGraphPageData.FunctionNames(FlameGraphPageData.Of(html));
        Assert.Contains(Hostile.FunctionName, names);
        Assert.Contains(MoveNext.FunctionName, names);
        Assert.Contains(Generic.FunctionName, names);
    }

    [Fact]
    public void The_page_asks_for_nothing_over_the_network()
    {
        var html = FlameGraphPage.Render(Allocs());

        Assert.Contains("default-src 'none'", html);
        Assert.DoesNotMatch("(src|href)\\s*=\\s*[\"']?(https?:)?//", html);
    }

    [Fact]
    public void Identical_paths_merge_into_one_node_with_the_sum_per_sample_type()
    {
        var data = FlameGraphPageData.Of(FlameGraphPage.Render(Allocs()));
        var names = FlameGraphPageData.FunctionNames(data);

        var root = data.GetProperty("tree");
        Assert.Equal(-1, root[0].GetInt32());
        Assert.Equal(1_506_096, root[3].GetInt64()); // alloc_space at the root: every sample
        var main = Assert.Single(Children(root));
        var moveNext = Assert.Single(Children(main));
        var generic = Children(moveNext).Single(node => names[node[0].GetInt32()] == Generic.FunctionName);
        Assert.Equal((15L, 1_500_000L), (generic[2].GetInt64(), generic[3].GetInt64()));
        Assert.Equal(12, moveNext[1].GetInt64()); // the source line travels with the node
        Assert.Equal("Program.cs", data.GetProperty("functions")[moveNext[0].GetInt32()][1].GetString());
    }

    [Fact]
    public void The_top_table_has_exact_flat_and_cum_per_function_and_the_default_type_is_selected()
    {
        var data = FlameGraphPageData.Of(FlameGraphPage.Render(Allocs()));

        Assert.Equal(1, data.GetProperty("selected").GetInt32()); // alloc_space, the profile's default
        var top = FlameGraphPageData.Top(data, type: 1);
        Assert.Equal((1_500_000L, 1_500_000L), top[Generic.FunctionName]);
        Assert.Equal((4_096L, 1_506_096L), top[MoveNext.FunctionName]);
        Assert.Equal((0L, 1_506_096L), top[Main.FunctionName]);
        Assert.Equal(4, data.GetProperty("types").GetArrayLength());
    }

    [Fact]
    public void A_chosen_sample_type_is_selected_and_an_unknown_one_is_an_argument_error()
    {
        var data = FlameGraphPageData.Of(FlameGraphPage.Render(Allocs(), new FlameGraphOptions { SampleType = "alloc_objects" }));

        Assert.Equal(0, data.GetProperty("selected").GetInt32());
        var error = Assert.Throws<ArgumentException>(() => FlameGraphPage.Render(Allocs(), new FlameGraphOptions { SampleType = "cpu" }));
        Assert.Contains("alloc_space", error.Message);
    }

    [Fact]
    public void Paths_below_the_prune_fraction_are_cut_counted_and_still_in_the_top_table()
    {
        var data = FlameGraphPageData.Of(FlameGraphPage.Render(Allocs(tiny: 10), new FlameGraphOptions { PruneFraction = 0.001 }));
        var names = FlameGraphPageData.FunctionNames(data);

        var main = Assert.Single(Children(data.GetProperty("tree")));
        Assert.DoesNotContain(Children(main), node => names[node[0].GetInt32()] == Tiny.FunctionName);
        Assert.Equal(1, data.GetProperty("pruned").GetInt32());
        Assert.Equal((10L, 10L), FlameGraphPageData.Top(data, type: 1)[Tiny.FunctionName]);

        var unpruned = FlameGraphPageData.Of(FlameGraphPage.Render(Allocs(tiny: 10), new FlameGraphOptions { PruneFraction = 0 }));
        Assert.Equal(0, unpruned.GetProperty("pruned").GetInt32());
    }

    [Fact]
    public void Inlined_calls_are_frames_of_their_own_callers_first()
    {
        var inlined = new Frame("Outer.Run", "Outer.cs", 5, [new Frame("Inner.Helper", "Inner.cs", 7)]);
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample([inlined, Main], [1, 100, 0, 0]);

        var data = FlameGraphPageData.Of(FlameGraphPage.Render(builder.Build()));
        var names = FlameGraphPageData.FunctionNames(data);

        var outer = Assert.Single(Children(Assert.Single(Children(data.GetProperty("tree")))));
        Assert.Equal("Outer.Run", names[outer[0].GetInt32()]);
        Assert.Equal("Inner.Helper", names[Assert.Single(Children(outer))[0].GetInt32()]);
    }

    [Fact]
    public void A_large_profile_of_many_rare_paths_gives_a_page_far_smaller_than_its_data()
    {
        // 100,000 samples over 20,000 distinct 24-frame paths of 2,000 functions: the shape of a long
        // allocs profile, where a few hot paths carry most and the tail is rare.
        var random = new Random(7);
        var functions = Enumerable.Range(0, 2_000).Select(i => new Frame($"MyApp.Module{i % 50}.Type{i}.Method<T>", $"src/Module{i % 50}.cs", i)).ToArray();
        var paths = Enumerable.Range(0, 20_000).Select(_ => Enumerable.Range(0, 24).Select(_ => functions[random.Next(functions.Length)]).ToArray()).ToArray();
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetDefaultSampleType(ProfileTypes.AllocSpace);
        for (var i = 0; i < 100_000; i++)
        {
            var hot = i % 2 == 0;
            builder.AddSample(hot ? paths[i % 10] : paths[random.Next(paths.Length)], [1, hot ? 1_000_000 : 512, 0, 0]);
        }

        var profile = builder.Build();
        var bytes = ProfileSerializer.ToGzipBytes(profile).Length;
        var html = FlameGraphPage.Render(profile);
        var data = FlameGraphPageData.Of(html);

        Assert.True(html.Length < 2_000_000, $"page {html.Length:N0} chars for a {bytes:N0}-byte profile");
        Assert.True(data.GetProperty("pruned").GetInt32() > 1_000);
        Assert.Equal(100_000L, data.GetProperty("types")[0].GetProperty("total").GetInt64()); // cut paths keep their weight in the totals
        Assert.Equal(2_000, FlameGraphPageData.Top(data, type: 0).Count); // and in the exact top table
    }

    private static List<JsonElement> Children(JsonElement node) => node[node.GetArrayLength() - 1].EnumerateArray().ToList();
}
