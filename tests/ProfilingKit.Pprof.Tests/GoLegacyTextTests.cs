using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

/// <summary>Go's legacy text forms, checked for their layout and read back by the real pprof.</summary>
public sealed class GoLegacyTextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-legacy-").FullName;

    [Fact]
    public void The_heap_text_has_the_totals_then_one_record_per_stack_with_its_pcs_most_in_use_first()
    {
        var profile = AllocationProfile.Build();
        var text = GoLegacyText.HeapProfile(profile);
        var lines = text.Split('\n');

        long Total(string type) => AllocationProfile.Total(type);
        Assert.Equal($"heap profile: {Total("inuse_objects")}: {Total("inuse_space")} [{Total("alloc_objects")}: {Total("alloc_space")}] @ heap/2", lines[0]);
        // The two samples of Alloc <- Run <- Main differ by labels only: one record, summed, with one PC per location.
        Assert.Matches(@"^3: 300000 \[13: 1300000\] @ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+$", lines[1]);
        Assert.Matches(@"^#\t0x[0-9a-f]+\tMyApp\.Worker\.Alloc\+0x0\tWorker\.cs:45$", lines[2]);
        var heads = lines.Where(line => line.Contains(" @ 0x", StringComparison.Ordinal)).Select(line => line[..line.IndexOf('@')]).ToList();
        Assert.Equal(["3: 300000 [13: 1300000] ", "1: 4096 [1: 4096] ", "0: 0 [20: 250000] "], heads);
    }

    [Theory]
    [InlineData("alloc_space")]
    [InlineData("alloc_objects")]
    [InlineData("inuse_space")]
    [InlineData("inuse_objects")]
    public void Pprof_reads_the_heap_text_back_to_the_binary_profiles_totals(string sampleType)
    {
        var path = Path.Combine(_directory, "heap.txt");
        File.WriteAllText(path, GoLegacyText.HeapProfile(AllocationProfile.Build()));

        var top = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=" + sampleType, path).EnsureSuccess().StandardOutput);

        // pprof's units round: 1,554,096 bytes show as 1.48MB.
        // pprof's legacy parser names frames by PC alone (it does not read the '#' lines), so the totals are what carries over.
        var total = AllocationProfile.Total(sampleType);
        Assert.InRange(top.Total!.Value, total * 0.995, total * 1.005);
    }

    [Fact]
    public void A_count_profile_lists_each_stack_with_its_pcs_and_frames_and_counts_without_stack_at_0x0()
    {
        CodeLocation? Locate(ulong address) =>
            address == 0x2000 ? null : new CodeLocation(address - 1, address == 0x1010 ? "App.Leaf" : "App.Main", 0x10, "/src/App.cs", 7);

        var text = GoLegacyText.CountProfile(
            "goroutine",
            [([0x1010, 0x2000, 0x1100], 3), ([0x1100], 1)],
            Locate,
            ["a note"],
            [("[created before profiling started]", 2)]);

        Assert.Equal(
            "goroutine profile: total 6\n" +
            "# a note\n" +
            "3 @ 0x1010 0x2000 0x1100\n#\t0x100f\tApp.Leaf+0x10\t/src/App.cs:7\n#\t0x2000\n#\t0x10ff\tApp.Main+0x10\t/src/App.cs:7\n\n" +
            "1 @ 0x1100\n#\t0x10ff\tApp.Main+0x10\t/src/App.cs:7\n\n" +
            $"2 @ 0x{Synthetic("[created before profiling started]") + 1:x}\n#\t0x{Synthetic("[created before profiling started]"):x}\t[created before profiling started]\n\n",
            text);

        var path = Path.Combine(_directory, "goroutine.txt");
        File.WriteAllText(path, text);
        var raw = GoPprof.Run("-raw", path).EnsureSuccess().StandardOutput;
        Assert.Contains("goroutine/count", raw);
    }

    [Fact]
    public void A_contention_profile_is_read_by_pprof_as_delays_in_time()
    {
        var text = GoLegacyText.ContentionProfile(
            "contention",
            [([0x1010], 2_000_000, 4), ([0x1100], 9_000_000, 1)],
            address => new CodeLocation(address - 1, "App.Wait" + address.ToString("x"), 0, null, 0),
            "a note");

        Assert.StartsWith("--- contention:\ncycles/second=1000000000\nsampling period=1\n# a note\n9000000 1 @ 0x1100\n", text);
        var path = Path.Combine(_directory, "contention.txt");
        File.WriteAllText(path, text);
        var top = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=delay", path).EnsureSuccess().StandardOutput);
        // pprof's legacy parser reads addresses, not the '#' names (all rows are <unknown> here): the values are what it keeps.
        Assert.Equal(11e6, top.Total!.Value, 1e4); // 11ms: cycles at 1e9 per second are nanoseconds
    }

    private static ulong Synthetic(string frame) => ProfileBuilder.SyntheticAddress(new Frame(frame));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
