using System.Text.RegularExpressions;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>
/// Calls the JIT inlined, shown by the real <c>go tool pprof</c> as inlined frames above their
/// caller, in an app started with DOTNET_RichDebugInfo=1.
/// </summary>
public sealed class InlinedFramesTests : IClassFixture<InliningAppFixture>
{
    private readonly InliningAppFixture _app;

    public InlinedFramesTests(InliningAppFixture app) => _app = app;

    [Fact]
    public void Traces_show_the_inlined_allocating_method_as_an_inline_frame_right_above_its_caller()
    {
        var traces = GoPprof.Run("-traces", _app.Url("allocs")).EnsureSuccess().StandardOutput.Split('\n');

        var inlined = Array.FindIndex(traces, line => line.TrimEnd().EndsWith(AllocatingAppProcess.InlinedMethod + " (inline)", StringComparison.Ordinal));
        Assert.True(inlined >= 0, "no inlined frame in:\n" + string.Join('\n', traces));
        Assert.Equal(AllocatingAppProcess.InliningMethod, traces[inlined + 1].Trim());
        Assert.Matches(@"^\s+\d+(\.\d+)?MB\s", traces[inlined]); // the 40 MB allocated there, not a stray sample
    }

    [Fact]
    public void Raw_shows_both_lines_of_the_one_location_with_file_and_line_and_the_mapping_flags_inline_frames()
    {
        var raw = GoPprof.Run("-raw", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        var file = Path.Combine(SourceDirectory(), "tests", "TestApps", "InliningLibrary", "InlinedAllocations.cs");
        var inlineeLine = Array.FindIndex(File.ReadAllLines(file), line => line.Trim() == "Made++;") + 1;
        var location = new Regex(
            @"^\s+\d+: 0x[0-9a-f]+ M=1 " + Regex.Escape(AllocatingAppProcess.InlinedMethod) + " " + Regex.Escape(file) + ":" + inlineeLine + @" s=0\n" +
            @"\s+" + Regex.Escape(AllocatingAppProcess.InliningMethod) + " " + Regex.Escape(file) + @":\d+ s=0$",
            RegexOptions.Multiline);
        Assert.Matches(location, raw);
        Assert.Matches(new Regex(@"^1: 0x[0-9a-f]+/0x[0-9a-f]+/0x0 \S*AllocatingApp\.dll\s+\[FN\]\[FL\]\[LN\]\[IN\]$", RegexOptions.Multiline), raw);
    }

    [Fact]
    public void Top_counts_the_allocation_to_the_inlinee_marked_inline()
    {
        var top = GoPprof.ParseTop(GoPprof.Run("-top", _app.Url("allocs")).EnsureSuccess().StandardOutput);

        // Flat, not rank: other start-up allocations may outweigh it in a run (a Dictionary's once did).
        const double allocated = InliningAppFixture.InlinedMegabytes * 1024.0 * 1024.0;
        Assert.InRange(top.Row(AllocatingAppProcess.InlinedMethod + " (inline)").Flat, 0.7 * allocated, 1.3 * allocated);
        Assert.DoesNotContain(top.Rows, row => row.Name == AllocatingAppProcess.InliningMethod && row.Flat > 0.3 * allocated);
    }

    /// <summary>The repository root, found from the tests' output folder.</summary>
    private static string SourceDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProfilingKit.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("ProfilingKit.sln not found above " + AppContext.BaseDirectory);
    }
}
