using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.TestProfiles;

namespace ProfilingKit.Build.Tests;

/// <summary>
/// The gates' arithmetic on profiles sampled the way the runtime samples (each object of s bytes taken
/// with probability 1 - (1 - 1/102400)^s, each sample standing for 1/p objects): the sampling error they
/// state covers the truth as often as it says, an unchanged run never fails the baseline, a doubled one
/// always does, and budgets match functions anywhere on the stack and tests by their label.
/// </summary>
public class GateTests
{
    private static readonly Random Random = new(20261204);

    [Fact]
    public void The_stated_sampling_error_covers_the_truth_as_often_as_it_says()
    {
        const int Runs = 400;
        var truth = 20_000.0 * 1_000;
        var covered = 0;
        for (var run = 0; run < Runs; run++)
        {
            var total = new ProfileSamples(Sampled(("Work.Parse", "t", 20_000, 1_000))).Total;
            if (Math.Abs(total.Bytes - truth) <= 2 * total.StandardError) covered++;
        }

        // Two standard errors hold about 95% of runs.
        Assert.InRange(covered / (double)Runs, 0.92, 0.98);
    }

    [Fact]
    public void An_unchanged_run_never_grows_past_the_baseline_and_a_doubled_allocation_always_does()
    {
        for (var trial = 0; trial < 100; trial++)
        {
            var baseline = new ProfileSamples(Sampled(("Work.Parse", "T.A", 20_000, 1_000), ("Work.Format", "T.B", 200_000, 40), ("Work.Big", "T.B", 300, 200_000)));
            var same = new ProfileSamples(Sampled(("Work.Parse", "T.A", 20_000, 1_000), ("Work.Format", "T.B", 200_000, 40), ("Work.Big", "T.B", 300, 200_000)));
            var doubled = new ProfileSamples(Sampled(("Work.Parse", "T.A", 40_000, 1_000), ("Work.Format", "T.B", 200_000, 40), ("Work.Big", "T.B", 300, 200_000)));

            Assert.Empty(BaselineComparison.Compare(same, baseline, BaselineComparison.DefaultTolerance));
            var growths = BaselineComparison.Compare(doubled, baseline, BaselineComparison.DefaultTolerance);
            Assert.Equal(["function Work.Parse", "test T.A"], growths.Select(growth => $"{growth.Kind} {growth.Name}").Order());
        }
    }

    [Fact]
    public void A_budget_counts_the_samples_under_its_functions_in_its_tests_and_fails_only_beyond_sampling_error()
    {
        var profile = new ProfileSamples(Sampled(("MyCompany.Parser.Lexer.Next", "T.Parse", 50_000, 1_000), ("MyCompany.Report.Write", "T.Report", 50_000, 1_000)));
        var parser = profile.Samples.Where(sample => sample.Functions.Contains("MyCompany.Parser.Lexer.Next")).Sum(sample => sample.Bytes.Bytes);

        var results = BudgetCheck.Evaluate(profile, [
            AllocationBudget.Parse("parser", "MyCompany.Parser.*", "", "100MB"),
            AllocationBudget.Parse("report test", "", "T.Report", "10MB"),
            AllocationBudget.Parse("parser in the report test", "MyCompany.Parser.*", "T.Report", "1kB"),
        ]);

        Assert.Equal(parser, results[0].Allocated.Bytes); // under the parser: its leaf and the caller frame Test.Run alike
        Assert.False(results[0].Exceeded);
        Assert.Matches(@"^budget 'parser': estimated \d+(\.\d)? MB ± \d+(\.\d)? MB of at most 100 MB \(\d+%\)\.$", results[0].Message);
        Assert.True(results[1].Exceeded);
        Assert.Contains("budget 'report test' exceeded: at most 10.0 MB, estimated ", results[1].Message);
        Assert.Contains("Top allocating frames under it: MyCompany.Report.Write ", results[1].Message);
        Assert.Equal(0, results[2].Allocated.Bytes); // the parser allocates nothing in T.Report
        Assert.False(results[2].Exceeded);

        // Just over the budget, within its sampling error: not a failure.
        var estimate = results[0].Allocated;
        Assert.False(BudgetCheck.Evaluate(profile, [AllocationBudget.Parse("parser", "MyCompany.Parser.*", "", $"{(long)(estimate.Bytes - estimate.StandardError)}")])[0].Exceeded);
        Assert.True(BudgetCheck.Evaluate(profile, [AllocationBudget.Parse("parser", "MyCompany.Parser.*", "", $"{(long)(estimate.Bytes - 3 * estimate.StandardError)}")])[0].Exceeded);
    }

    [Fact]
    public void The_stated_error_of_the_objects_covers_their_true_count_as_often_as_it_says()
    {
        const int Runs = 400;
        var covered = 0;
        for (var run = 0; run < Runs; run++)
        {
            var total = new ProfileSamples(Sampled(("Work.Parse", "t", 20_000, 1_000))).Total;
            if (Math.Abs(total.Objects - 20_000) <= 2 * total.ObjectStandardError) covered++;
        }

        Assert.InRange(covered / (double)Runs, 0.92, 0.98);
    }

    [Fact]
    public void A_budget_per_call_divides_the_runs_estimate_by_the_calls_its_test_makes()
    {
        // 50,000 calls of Parse, each allocating one 1,000-byte object.
        var profile = new ProfileSamples(Sampled(("MyCompany.Parser.Parse", "T.Parse", 50_000, 1_000)));
        var perCall = profile.Total.Objects / 50_000;
        Assert.InRange(perCall, 0.9, 1.1);

        var results = BudgetCheck.Evaluate(profile, [
            AllocationBudget.Parse("objects kept", "MyCompany.Parser.Parse", "T.Parse", "", "2", "50000"),
            AllocationBudget.Parse("objects exceeded", "MyCompany.Parser.Parse", "", "", "0", "50000"),
            AllocationBudget.Parse("bytes kept", "MyCompany.Parser.Parse", "", "2kB", "", "50000"),
            AllocationBudget.Parse("bytes exceeded", "MyCompany.Parser.Parse", "", "500B", "", "50000"),
            AllocationBudget.Parse("both, bytes exceeded", "MyCompany.Parser.Parse", "", "500B", "2", "50000"),
        ]);

        Assert.False(results[0].Exceeded);
        Assert.Matches(@"^budget 'objects kept': estimated (0\.9|1|1\.1) ± 0\.\d objects per call of at most 2 objects per call \(50,000 calls\) \(\d+%\)\.$", results[0].Message);
        Assert.True(results[1].Exceeded);
        Assert.Matches(@"^budget 'objects exceeded' exceeded: at most 0 objects per call \(50,000 calls\), estimated (0\.9|1|1\.1) ± 0\.\d objects per call \(∞ of the budget, 95% interval\)\. Top allocating frames under it: MyCompany\.Parser\.Parse ", results[1].Message);
        Assert.False(results[2].Exceeded);
        Assert.Matches(@"^budget 'bytes kept': estimated \d+ B ± \d+ B per call of at most 2\.0 kB per call \(50,000 calls\) \(\d+%\)\.$", results[2].Message);
        Assert.True(results[3].Exceeded);
        Assert.Contains("budget 'bytes exceeded' exceeded: at most 500 B per call (50,000 calls), estimated ", results[3].Message);
        // Two limits: the message names the one exceeded; the summary shows both.
        Assert.True(results[4].Exceeded);
        Assert.DoesNotContain("objects", results[4].Message.Substring(0, results[4].Message.IndexOf("Top allocating", StringComparison.Ordinal)));
        Assert.Equal("500 B per call (50,000 calls); 2 objects per call (50,000 calls)", results[4].Bound);
    }

    [Theory]
    [InlineData("", "0", "the budget 'lib' has Calls '0', which is not a count of calls")]
    [InlineData("", "many", "the budget 'lib' has Calls 'many', which is not a count of calls")]
    [InlineData("lots", "", "the budget 'lib' has MaxObjects 'lots', which is not a count")]
    [InlineData("-1", "", "the budget 'lib' has MaxObjects '-1', which is not a count")]
    public void A_bad_count_names_the_budget_and_what_it_takes(string maxObjects, string calls, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => AllocationBudget.Parse("lib", "MyCompany.*", "", maxObjects.Length == 0 ? "1MB" : "", maxObjects, calls));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_budget_with_neither_limit_is_reported_as_a_missing_size()
    {
        var error = Assert.Throws<ArgumentException>(() => AllocationBudget.Parse("lib", "MyCompany.*", "", "", "", "10"));
        Assert.Contains("the budget 'lib' has MaxBytes '', which is not a size", error.Message);
        Assert.Contains("or give MaxObjects instead", error.Message);
    }

    [Theory]
    [InlineData("Work.Parse", "`Work.Parse`")]
    [InlineData("System.GC.<AllocateUninitializedArray>g__AllocateNewArrayWorker|77_0", "`System.GC.<AllocateUninitializedArray>g__AllocateNewArrayWorker\\|77_0`")]
    [InlineData("MyTests.Cache`1[System.Int32].Add", "`` MyTests.Cache`1[System.Int32].Add ``")]
    public void Names_in_the_Markdown_tables_keep_their_cell_and_their_code_span(string name, string cell)
    {
        Assert.Equal(cell, GateOutcome.Code(name));
    }

    [Fact]
    public void A_function_with_a_bar_in_its_name_keeps_the_summary_table_in_shape()
    {
        var profile = new ProfileSamples(Sampled(("System.GC.<AllocateUninitializedArray>g__AllocateNewArrayWorker|77_0", "T.A", 20_000, 1_000)));
        var markdown = GateOutcome.Evaluate(profile, TestGates.None).Markdown("P", profile, "/p.allocs.pb.gz");

        var row = markdown.Split('\n').Single(line => line.Contains("AllocateNewArrayWorker", StringComparison.Ordinal));
        // Three cells, as the header has: a '|' not escaped would make four.
        Assert.Equal(4, row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
    }

    [Theory]
    [InlineData("1048576", 1L << 20)]
    [InlineData("50MB", 50L << 20)]
    [InlineData("1.5 GB", 3L << 29)]
    [InlineData("512kB", 512L << 10)]
    [InlineData("64KiB", 64L << 10)]
    public void Sizes_are_bytes_in_powers_of_1024(string text, long bytes)
    {
        Assert.True(AllocationBudget.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fifty")]
    [InlineData("-5MB")]
    [InlineData("5 TB")]
    public void A_bad_size_names_the_budget_and_what_it_takes(string size)
    {
        var error = Assert.Throws<ArgumentException>(() => AllocationBudget.Parse("lib", "MyCompany.*", "", size));
        Assert.Contains("the budget 'lib' has MaxBytes '" + size + "'", error.Message);
        Assert.Contains("50MB", error.Message);
    }

    /// <summary>A profile as the runtime would sample it: per site, <c>count</c> objects of <c>size</c> bytes allocated in <c>function</c> (called by Test.Run) during <c>test</c>.</summary>
    private static Profile Sampled(params (string Function, string Test, int Count, int Size)[] sites)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "/tests/Gates.dll");
        foreach (var (function, test, count, size) in sites)
        {
            var p = 1 - Math.Pow(1 - (1.0 / ClrEvents.AllocationSamplingInterval), size);
            var taken = 0;
            for (var i = 0; i < count; i++)
            {
                if (Random.NextDouble() < p) taken++;
            }

            if (taken == 0) continue;
            var objects = taken / p;
            builder.AddSample([new Frame(function), new Frame("Test.Run")], [(long)Math.Round(objects), (long)Math.Round(objects * size), 0, 0], [SampleLabel.String("test", test)]);
        }

        return builder.Build();
    }
}
