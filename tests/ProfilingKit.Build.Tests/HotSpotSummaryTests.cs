using System.Globalization;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.TestProfiles;

namespace ProfilingKit.Build.Tests;

public sealed class HotSpotSummaryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("profilingkit-summary-").FullName;
    private readonly string _userFile;
    private readonly string _otherUserFile;

    public HotSpotSummaryTests()
    {
        _userFile = Path.Combine(_directory, "Parser.cs");
        _otherUserFile = Path.Combine(_directory, "Lexer.cs");
        File.WriteAllText(_userFile, "");
        File.WriteAllText(_otherUserFile, "");
    }

    [Fact]
    public void The_text_is_the_v2_format_with_invariant_numbers_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var profile = Profile(
                (1_000_000, [new Frame("App.Parser.Parse", _userFile, 12)]),
                (3_000_000, [new Frame("App.Lexer.Next", _otherUserFile, 40)]));

            var text = HotSpotSummary.Of(profile, Path.Combine(_directory, "App.allocs.pb.gz")).ToString();

            Assert.Equal(
                "# ProfilingKit hot-spot summary v2\n" +
                $"# profile: {Path.Combine(_directory, "App.allocs.pb.gz")}\n" +
                "# total_alloc_bytes: 4000000\n" +
                "# function\tfile\tline\tbytes\tshare\tsamples\tbytes_low\ttests\n" +
                $"App.Lexer.Next\t{_otherUserFile}\t40\t3000000\t0.7500\t0\t3000000\t\n" +
                $"App.Parser.Parse\t{_userFile}\t12\t1000000\t0.2500\t0\t1000000\t\n",
                text);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_site_enters_only_when_its_share_is_above_a_thousandth_beyond_sampling_error_and_names_its_tests()
    {
        // Sampled as the runtime samples: 1000-byte objects, p = 1 - (1 - 1/102400)^1000, each sample 1/p objects.
        var p = 1 - Math.Pow(1 - (1.0 / 102_400), 1_000);
        var builder = new ProfileBuilder(ProfileTypes.Memory, "App");
        void Add(int samples, Frame frame, string test) =>
            builder.AddSample([frame], [(long)Math.Round(samples / p), (long)Math.Round(samples / p * 1_000), 0, 0], [SampleLabel.String("test", test)]);
        Add(9_000, new Frame("App.Parser.Parse", _userFile, 12), "T.Big");
        Add(1_000, new Frame("App.Parser.Parse", _userFile, 12), "T.Small");
        Add(2, new Frame("App.Parser.Parse", _userFile, 12), "T.Tiny"); // 0.02% of the row: printed as "0%", it would name no hot test
        Add(12, new Frame("App.Lexer.Next", _otherUserFile, 40), "T.Small"); // 0.12% of the run, but on 12 samples: ±58% at 95%
        Add(200, new Frame("App.Lexer.Peek", _otherUserFile, 41), "T.Small"); // 2%, on 200 samples: well above 0.1%

        var summary = HotSpotSummary.Of(builder.Build(), "App.allocs.pb.gz");

        Assert.Equal(["App.Parser.Parse", "App.Lexer.Peek"], summary.Rows.Select(row => row.Function));
        var parse = summary.Rows[0];
        Assert.InRange(parse.Samples, 9_990, 10_012);
        Assert.InRange(parse.LowBytes, 0.97 * parse.Bytes, 0.99 * parse.Bytes); // two standard errors of 10,000 samples: 2%
        Assert.Equal("T.Big 90%, T.Small 10%", parse.TestsText);
    }

    [Fact]
    public void A_sample_goes_to_its_innermost_frame_with_a_file_that_exists_here()
    {
        var profile = Profile((5_000, [
            new Frame("System.String.Concat"),
            new Frame("Xunit.Sdk.Something", "/_/src/xunit/Something.cs", 7),
            new Frame("App.Parser.Parse", _userFile, 12),
            new Frame("App.Program.Main", _otherUserFile, 3),
        ]));

        var row = Assert.Single(HotSpotSummary.Of(profile, "App.allocs.pb.gz").Rows);

        Assert.Equal(("App.Parser.Parse", _userFile, 12L, 5_000L, 1.0), (row.Function, row.File, row.Line, row.Bytes, row.Share));
    }

    [Fact]
    public void Sites_of_one_function_and_line_add_up_and_sites_under_a_thousandth_are_left_out()
    {
        var profile = Profile(
            (600_000, [new Frame("App.Parser.Parse", _userFile, 12)]),
            (399_000, [new Frame("App.Parser.Parse", _userFile, 12), new Frame("App.Program.Main", _otherUserFile, 3)]),
            (999, [new Frame("App.Lexer.Next", _otherUserFile, 40)]),
            (1, [new Frame("System.Object.MemberwiseClone")]));

        var summary = HotSpotSummary.Of(profile, "App.allocs.pb.gz");

        Assert.Equal(1_000_000, summary.TotalBytes);
        var row = Assert.Single(summary.Rows);
        Assert.Equal(999_000, row.Bytes);
    }

    [Fact]
    public void At_most_500_rows_most_bytes_first()
    {
        var samples = Enumerable.Range(1, 600).Select(i => ((long)(10_000 + i), new[] { new Frame("App.Parser.Parse", _userFile, i) })).ToArray();

        var rows = HotSpotSummary.Of(Profile(samples), "App.allocs.pb.gz").Rows;

        Assert.Equal(HotSpotSummary.MaximumRows, rows.Count);
        Assert.Equal(600, rows[0].Line);
        Assert.True(rows.Zip(rows.Skip(1)).All(pair => pair.First.Bytes >= pair.Second.Bytes));
    }

    [Fact]
    public void The_summary_sits_beside_the_profile_with_the_same_base_name()
    {
        Assert.Equal(Path.GetFullPath("TestResults/pprof/My.Tests.hotspots.txt"), HotSpotSummary.PathFor("TestResults/pprof/My.Tests.allocs.pb.gz"));
        Assert.Equal(Path.GetFullPath("out/My.Tests.net10.0.hotspots.txt"), HotSpotSummary.PathFor("out/My.Tests.net10.0.allocs.pb.gz"));
    }

    [Fact]
    public void The_file_is_utf8_without_a_byte_order_mark()
    {
        var path = Path.Combine(_directory, "App.hotspots.txt");
        HotSpotSummary.Of(Profile((1_000, [new Frame("App.Parser.Parse", _userFile, 12)])), "App.allocs.pb.gz").WriteTo(path);

        Assert.Equal((byte)'#', File.ReadAllBytes(path)[0]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A profile of exact bytes (no objects: no sampling error), for the attribution rules.</summary>
    private static Profile Profile(params (long Bytes, Frame[] Stack)[] samples)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "App");
        foreach (var (bytes, stack) in samples) builder.AddSample(stack, [0, bytes, 0, 0]);
        return builder.Build();
    }
}
