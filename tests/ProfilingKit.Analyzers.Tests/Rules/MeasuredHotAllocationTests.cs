using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using VerifyPK1100 = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.MeasuredHotAllocationAnalyzer>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// PK1100/PK1101 read hot-spot summaries (format v2, and v1 as before: docs/test-profiles.md) passed as AdditionalFiles;
/// measured hot members also become hot places for the other allocation rules. The test source is
/// /0/Test0.cs, so summary rows name that path.
/// </summary>
public class MeasuredHotAllocationTests
{
    private const string SummaryPath = "/0/Tests.hotspots.txt";

    private const string Source = """
        class C
        {
            string Build(string[] parts)
            {
                {|#0:return string.Join(",", parts);|}
            }

            {|#1:string Small(int i) => i.ToString();|}
        }
        """;

    [Fact]
    public Task A_listed_line_is_reported_with_its_bytes_share_and_function() => Run(
        Source,
        Summary("C.Build\t/0/Test0.cs\t5\t1288490189\t0.4100"),
        Expected(0, "1.2 GB", "41%", "C.Build"));

    [Fact]
    public Task A_v2_summary_s_rows_with_samples_bounds_and_tests_are_read_the_same() => Run(
        Source,
        "# ProfilingKit hot-spot summary v2\n# profile: /0/TestResults/pprof/Tests.allocs.pb.gz\n# total_alloc_bytes: 3142652416\n# function\tfile\tline\tbytes\tshare\tsamples\tbytes_low\ttests\n"
        + "C.Build\t/0/Test0.cs\t5\t1288490189\t0.4100\t12583\t1265000000\tTests.BuildTests.Joins 97%, Tests.BuildTests.Empty 3%\n",
        Expected(0, "1.2 GB", "41%", "C.Build"));

    [Fact]
    public Task Rows_below_the_minimum_share_are_not_reported_until_the_editorconfig_lowers_it()
    {
        var summary = Summary("C.Build\t/0/Test0.cs\t5\t1288490189\t0.4100", "C.Small\t/0/Test0.cs\t8\t5242880\t0.0040");
        return Task.WhenAll(
            Run(Source, summary, Expected(0, "1.2 GB", "41%", "C.Build")),
            Run(Source, summary, ["profilingkit.measured_hot_min_share = 0.001"], Expected(0, "1.2 GB", "41%", "C.Build"), Expected(1, "5.0 MB", "0.4%", "C.Small")));
    }

    [Fact]
    public Task Rows_of_other_files_and_lines_past_the_end_are_ignored() => Run(
        Source,
        Summary("Other.Run\t/src/Other.cs\t5\t1000000\t0.5000", "C.Gone\t/0/Test0.cs\t400\t1000000\t0.5000"));

    [Fact]
    public Task Paths_written_with_backslashes_match() => Run(
        Source,
        Summary("C.Build\t\\0\\Test0.cs\t5\t2048\t0.0200"),
        Expected(0, "2.0 kB", "2%", "C.Build"));

    [Fact]
    public Task A_file_that_is_not_a_summary_is_reported_once_and_nothing_else()
    {
        var test = new AnalyzerTest<MeasuredHotAllocationAnalyzer, EmptyCodeFixProvider>(Source);
        test.TestState.AdditionalFiles.Add((SummaryPath, "function,file,line\nC.Build,/0/Test0.cs,5\n"));
        test.ExpectedDiagnostics.Add(VerifyPK1100.Diagnostic("PK1101").WithNoLocation().WithArguments(
            SummaryPath, 1, "it does not start with '# ProfilingKit hot-spot summary v2'; is it a hot-spot summary written by ProfilingKit's test profiles?"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_malformed_row_is_reported_and_the_good_rows_still_count()
    {
        var test = new AnalyzerTest<MeasuredHotAllocationAnalyzer, EmptyCodeFixProvider>(Source);
        test.TestState.AdditionalFiles.Add((SummaryPath, Summary("C.Build\t/0/Test0.cs\tfive\t1288490189\t0.41", "C.Build\t/0/Test0.cs\t5\t1288490189\t0.4100")));
        test.ExpectedDiagnostics.Add(VerifyPK1100.Diagnostic("PK1101").WithNoLocation().WithArguments(
            SummaryPath, 5, "the row is not 'function<TAB>file<TAB>line<TAB>bytes<TAB>share[<TAB>samples<TAB>bytes_low<TAB>tests]'; it was skipped"));
        test.ExpectedDiagnostics.Add(Expected(0, "1.2 GB", "41%", "C.Build"));
        return test.RunAsync();
    }

    [Fact]
    public Task Other_additional_files_are_not_read() => Run(Source, null, [], []);

    [Fact]
    public Task A_measured_hot_member_is_a_hot_place_for_the_allocation_rules()
    {
        const string boxing = """
            class C
            {
                object Cold(int i) => i;

                object Measured(int i)
                {
                    return {|#0:i|};
                }
            }
            """;
        var test = new AnalyzerTest<HotMemberAnalyzer, EmptyCodeFixProvider>(new BoxingInHotPlaceRule(), boxing);
        test.TestState.AdditionalFiles.Add((SummaryPath, Summary("C.Measured\t/0/Test0.cs\t7\t104857600\t0.2500")));
        test.ExpectedDiagnostics.Add(VerifyRule<BoxingInHotPlaceRule>.Diagnostic("PK1003").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments(
            "'int' is boxed by its conversion to 'object'", "in 'Measured', measured hot (25% of a test run's allocations at line 7)"));
        return test.RunAsync();
    }

    [Fact]
    public Task Without_a_summary_the_same_member_is_cold() => VerifyRule<BoxingInHotPlaceRule>.Analyzer("""
        class C
        {
            object Measured(int i)
            {
                return i;
            }
        }
        """);

    private static string Summary(params string[] rows) =>
        "# ProfilingKit hot-spot summary v1\n# profile: /0/TestResults/pprof/Tests.allocs.pb.gz\n# total_alloc_bytes: 3142652416\n# function\tfile\tline\tbytes\tshare\n"
        + string.Concat(rows.Select(row => row + "\n"));

    private static DiagnosticResult Expected(int location, string bytes, string share, string function) =>
        VerifyPK1100.Diagnostic("PK1100").WithLocation(location).WithArguments(bytes, share, function);

    private static Task Run(string source, string? summary, params DiagnosticResult[] expected) => Run(source, summary, [], expected);

    private static Task Run(string source, string? summary, string[] editorConfig, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<MeasuredHotAllocationAnalyzer, EmptyCodeFixProvider>(source);
        if (summary is not null) test.TestState.AdditionalFiles.Add((SummaryPath, summary));
        else test.TestState.AdditionalFiles.Add(("/0/notes.txt", Summary("C.Build\t/0/Test0.cs\t5\t1288490189\t0.4100")));
        if (editorConfig.Length > 0) test.WithEditorConfig(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
