using System.Text.RegularExpressions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A fresh xunit project from the packed package whose test allocates GATED_MEGABYTES (40 unless the
/// environment says otherwise) in <c>GatedTests.Work.Allocate</c>, run as CI would run it: with budgets
/// (one it keeps, one it exceeds), then against a baseline of its own first run, unchanged and doubled,
/// with <c>$GITHUB_STEP_SUMMARY</c> set.
/// </summary>
public sealed class GatedTestsProject
{
    public const string Name = "GatedTests";

    private const string TestsSource = """
        namespace GatedTests;

        public static class Work
        {
            public static object? Sink;

            public static void Allocate(int megabytes)
            {
                for (var i = 0; i < megabytes * 1000; i++) Sink = new byte[1000];
            }
        }

        public class Tests
        {
            [Xunit.Fact]
            public void Allocates() => Work.Allocate(int.Parse(Environment.GetEnvironmentVariable("GATED_MEGABYTES") ?? "40"));
        }
        """;

    /// <summary>Budgets only when -p:Gate=budgets: the other runs hold to the baseline alone.</summary>
    private const string BudgetItems = """
        <DebugPprofBudget Include="work" Functions="GatedTests.Work.*" MaxBytes="80MB" Condition="'$(Gate)' == 'budgets'" />
            <DebugPprofBudget Include="the tests" Test="GatedTests.Tests.*" MaxBytes="10MB" Condition="'$(Gate)' == 'budgets'" />
        """;

    public GatedTestsProject()
    {
        var package = PackedPackage.Shared;
        Directory = package.CreateProject(Name, new Dictionary<string, string>
        {
            [Name + ".csproj"] = ProfiledTestProjects.VSTestProjectFile(package.Version, "<TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>", BudgetItems),
            ["Tests.cs"] = TestsSource,
        });
        var profile = ProfiledTestProjects.ProfilePath(Directory, Name);
        StepSummary = Path.Combine(Directory, "step-summary.md");
        var environment = new Dictionary<string, string>(package.CommandEnvironment) { ["GITHUB_STEP_SUMMARY"] = StepSummary };

        (BudgetsExitCode, BudgetsOutput) = CommandLine.DotnetWithExitCode(Directory, environment, "test", "-p:Gate=budgets");
        Markdown = File.ReadAllText(Path.ChangeExtension(ProfiledTestProjects.SummaryPath(profile), ".md"));

        CommandLine.Dotnet(Directory, environment, "test", "--no-build");
        Baseline = Path.Combine(Directory, "base.allocs.pb.gz");
        File.Copy(profile, Baseline);
        (UnchangedExitCode, UnchangedOutput) = CommandLine.DotnetWithExitCode(Directory, environment, "test", "--no-build", $"-p:DebugPprofBaseline={Baseline}");
        (DoubledExitCode, DoubledOutput) = CommandLine.DotnetWithExitCode(Directory, new Dictionary<string, string>(environment) { ["GATED_MEGABYTES"] = "80" }, "test", "--no-build", $"-p:DebugPprofBaseline={Baseline}");
        (MissingBaselineExitCode, MissingBaselineOutput) = CommandLine.DotnetWithExitCode(Directory, environment, "test", "--no-build", $"-p:DebugPprofBaseline={Path.Combine(Directory, "no-such.allocs.pb.gz")}");
    }

    public string Directory { get; }

    public string StepSummary { get; }

    public string Baseline { get; }

    public int BudgetsExitCode { get; }

    public string BudgetsOutput { get; }

    public string Markdown { get; }

    public int UnchangedExitCode { get; }

    public string UnchangedOutput { get; }

    public int DoubledExitCode { get; }

    public string DoubledOutput { get; }

    public int MissingBaselineExitCode { get; }

    public string MissingBaselineOutput { get; }
}

/// <summary>Allocation budgets and a baseline fail `dotnet test` when, and only when, the run is beyond them by more than sampling error.</summary>
public sealed class GateTests(GatedTestsProject project) : IClassFixture<GatedTestsProject>
{
    [Fact]
    public void An_exceeded_budget_fails_dotnet_test_with_its_estimate_and_frames_and_a_kept_one_says_how_close()
    {
        Assert.True(project.BudgetsExitCode != 0, project.BudgetsOutput);
        Assert.Matches(@"error PKB020: ProfilingKit: budget 'the tests' exceeded: at most 10\.0 MB, estimated \d+(\.\d)? MB ± \d+(\.\d)? MB allocated \(\d+% of the budget, 95% interval\)\. Top allocating frames under it: GatedTests\.Work\.Allocate ", project.BudgetsOutput);
        Assert.Matches(@"ProfilingKit: budget 'work': estimated (3\d|4\d)(\.\d)? MB ± \d+(\.\d)? MB of at most 80\.0 MB \(\d+%\)\.", project.BudgetsOutput);
        Assert.Single(Regex.Matches(project.BudgetsOutput, "error PKB020").Select(match => match.Index).Distinct()); // one error per exceeded budget
    }

    [Fact]
    public void The_Markdown_summary_has_the_budgets_and_goes_to_the_step_summary_too()
    {
        Assert.Contains("## ProfilingKit: allocations of GatedTests", project.Markdown);
        Assert.Contains("| `GatedTests.Work.Allocate` |", project.Markdown);
        Assert.Contains("| `GatedTests.Tests.Allocates` |", project.Markdown); // the test label's table
        Assert.Matches(@"\| `the tests` \| 10\.0 MB \| .* \| \*\*exceeded\*\* \|", project.Markdown);
        Assert.Contains(project.Markdown, File.ReadAllText(project.StepSummary));
    }

    [Fact]
    public void The_same_tests_again_pass_the_baseline_and_a_doubled_allocation_fails_it()
    {
        Assert.True(project.UnchangedExitCode == 0, project.UnchangedOutput);
        Assert.Contains("ProfilingKit: nothing grew beyond the baseline " + project.Baseline, project.UnchangedOutput);

        Assert.True(project.DoubledExitCode != 0, project.DoubledOutput);
        Assert.True(Regex.IsMatch(project.DoubledOutput, @"error PKB021: ProfilingKit: function 'GatedTests\.Work\.Allocate' allocated \d+(\.\d)? MB, \d+(\.\d)? MB in the baseline: \+\d+(\.\d)? MB \(\+\d+%"), project.DoubledOutput);
        Assert.Contains("error PKB021: ProfilingKit: test 'GatedTests.Tests.Allocates' allocated", project.DoubledOutput);
    }

    [Fact]
    public void A_baseline_that_is_not_there_is_an_error_not_a_pass()
    {
        Assert.True(project.MissingBaselineExitCode != 0, project.MissingBaselineOutput);
        Assert.Contains("error PKB023: ProfilingKit: DebugPprofBaseline " + Path.Combine(project.Directory, "no-such.allocs.pb.gz") + " could not be read", project.MissingBaselineOutput);
    }
}
