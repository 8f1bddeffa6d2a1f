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
