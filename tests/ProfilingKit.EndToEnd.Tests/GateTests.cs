using System.Text.RegularExpressions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A fresh xunit project from the packed package whose test allocates GATED_MEGABYTES (40 unless the
/// environment says otherwise) in <c>GatedTests.Work.Allocate</c>, run as CI would run it: with budgets
/// (one it keeps, one it exceeds), then against a baseline of its own first run, unchanged and doubled,
/// with <c>$GITHUB_STEP_SUMMARY</c> set. On VSTest (xunit 2) or on Microsoft.Testing.Platform (xunit.v3,
/// global.json selecting the platform for `dotnet test`), where the settings reach the app through its
/// runtimeconfig.json, so every run that changes them builds.
/// </summary>
public abstract class GatedTestsProject
{

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
            <DebugPprofBudget Include="per allocation" Functions="GatedTests.Work.Allocate" Calls="40000" MaxBytes="2kB" MaxObjects="2" Condition="'$(Gate)' == 'budgets'" />
        """;

    protected GatedTestsProject(string name, bool testingPlatform)
    {
        Name = name;
        TestingPlatform = testingPlatform;
        var package = PackedPackage.Shared;
        Directory = package.CreateProject(Name, testingPlatform
            ? new Dictionary<string, string>
            {
                ["global.json"] = TestingPlatformProject.GlobalJson,
                [Name + ".csproj"] = TestingPlatformProject.ProjectFile(package.Version, """<PackageReference Include="xunit.v3.mtp-v2" Version="4.0.2" />""",
                    "<ImplicitUsings>enable</ImplicitUsings><UseMicrosoftTestingPlatformRunner>true</UseMicrosoftTestingPlatformRunner>", BudgetItems),
                ["Tests.cs"] = TestsSource,
            }
            : new Dictionary<string, string>
            {
                [Name + ".csproj"] = ProfiledTestProjects.VSTestProjectFile(package.Version, "<TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>", BudgetItems),
                ["Tests.cs"] = TestsSource,
            });
        var profile = ProfiledTestProjects.ProfilePath(Directory, Name);
        StepSummary = Path.Combine(Directory, "step-summary.md");
        var environment = new Dictionary<string, string>(package.CommandEnvironment) { ["GITHUB_STEP_SUMMARY"] = StepSummary };
        string[] noBuild = testingPlatform ? [] : ["--no-build"];

        (BudgetsExitCode, BudgetsOutput) = CommandLine.DotnetWithExitCode(Directory, environment, "test", "-p:Gate=budgets");
        Markdown = File.ReadAllText(MarkdownPath);

        CommandLine.Dotnet(Directory, environment, ["test", .. noBuild]);
        Baseline = Path.Combine(Directory, "base.allocs.pb.gz");
        File.Copy(profile, Baseline);
        (UnchangedExitCode, UnchangedOutput) = CommandLine.DotnetWithExitCode(Directory, environment, ["test", .. noBuild, $"-p:DebugPprofBaseline={Baseline}"]);
        UnchangedMarkdown = File.ReadAllText(MarkdownPath);
        (DoubledExitCode, DoubledOutput) = CommandLine.DotnetWithExitCode(Directory, new Dictionary<string, string>(environment) { ["GATED_MEGABYTES"] = "80" }, ["test", .. noBuild, $"-p:DebugPprofBaseline={Baseline}"]);
        (MissingBaselineExitCode, MissingBaselineOutput) = CommandLine.DotnetWithExitCode(Directory, environment, ["test", .. noBuild, $"-p:DebugPprofBaseline={Path.Combine(Directory, "no-such.allocs.pb.gz")}"]);
    }

    public string Name { get; }

    /// <summary>Microsoft.Testing.Platform rather than VSTest.</summary>
    public bool TestingPlatform { get; }

    public string Directory { get; }

    private string MarkdownPath => Path.ChangeExtension(ProfiledTestProjects.SummaryPath(ProfiledTestProjects.ProfilePath(Directory, Name)), ".md");

    public string StepSummary { get; }

    public string Baseline { get; }

    public int BudgetsExitCode { get; }

    public string BudgetsOutput { get; }

    public string Markdown { get; }

    public int UnchangedExitCode { get; }

    public string UnchangedOutput { get; }

    /// <summary>The Markdown summary of the unchanged run against the baseline.</summary>
    public string UnchangedMarkdown { get; }

    public int DoubledExitCode { get; }

    public string DoubledOutput { get; }

    public int MissingBaselineExitCode { get; }

    public string MissingBaselineOutput { get; }
}

public sealed class VSTestGatedProject() : GatedTestsProject("GatedTests", testingPlatform: false);

public sealed class TestingPlatformGatedProject() : GatedTestsProject("GatedMtpTests", testingPlatform: true);

/// <summary>Allocation budgets and a baseline fail `dotnet test` on VSTest when, and only when, the run is beyond them by more than sampling error.</summary>
public sealed class VSTestGateTests(VSTestGatedProject project) : GateTests(project), IClassFixture<VSTestGatedProject>;

/// <summary>
/// The same on Microsoft.Testing.Platform, where the extension checks the gates after the test host exits
/// and fails the run by the app's exit code; `dotnet test` prints a failed app's output.
/// </summary>
public sealed class TestingPlatformGateTests(TestingPlatformGatedProject project) : GateTests(project), IClassFixture<TestingPlatformGatedProject>;

public abstract class GateTests(GatedTestsProject project)
{
    [Fact]
    public void An_exceeded_budget_fails_dotnet_test_with_its_estimate_and_frames_and_a_kept_one_says_how_close()
    {
        Assert.True(project.BudgetsExitCode != 0, project.BudgetsOutput);
        Assert.Matches(@"error PKB020: ProfilingKit: budget 'the tests' exceeded: at most 10\.0 MB, estimated \d+(\.\d)? MB ± \d+(\.\d)? MB allocated \(\d+% of the budget, 95% interval\)\. Top allocating frames under it: GatedTests\.Work\.Allocate ", project.BudgetsOutput);
        Assert.Matches(@"ProfilingKit: budget 'work': estimated (3\d|4\d)(\.\d)? MB ± \d+(\.\d)? MB of at most 80\.0 MB \(\d+%\)\.", project.BudgetsOutput);
        Assert.Single(Regex.Matches(project.BudgetsOutput, "error PKB020").Select(match => match.Index).Distinct()); // one error per exceeded budget
        // Per call: the 40,000 byte[1000] (1,024 bytes with the header) Allocate makes, divided by the calls the item declares; ±20% is four standard errors.
        Assert.True(Regex.IsMatch(project.BudgetsOutput, @"ProfilingKit: budget 'per allocation': estimated (\d{3,4} B|1\.[012] kB) ± \d+ B per call of at most 2\.0 kB per call \(40,000 calls\) \((4\d|5\d|60)%\); (0\.[89]|1|1\.[12]) ± 0(\.\d)? objects per call of at most 2 objects per call \(40,000 calls\) \((4\d|5\d|60)%\)\."), project.BudgetsOutput);
    }

    [Fact]
    public void The_Markdown_summary_has_the_budgets_and_goes_to_the_step_summary_too()
    {
        Assert.Contains("## ProfilingKit: allocations of " + project.Name, project.Markdown);
        Assert.Contains("| `GatedTests.Work.Allocate` |", project.Markdown);
        Assert.Contains("| `GatedTests.Tests.Allocates` |", project.Markdown); // the test label's table
        Assert.Matches(@"\| `the tests` \| 10\.0 MB \| .* \| \*\*exceeded\*\* \|", project.Markdown);
        Assert.Matches(@"\| `per allocation` \| 2\.0 kB per call \(40,000 calls\); 2 objects per call \(40,000 calls\) \| .* objects per call \| .* \| ok \|", project.Markdown);
        Assert.Contains(project.Markdown, File.ReadAllText(project.StepSummary));
    }

    [Fact]
    public void The_same_tests_again_pass_the_baseline_and_a_doubled_allocation_fails_it()
    {
        Assert.True(project.UnchangedExitCode == 0, project.UnchangedOutput);
        // `dotnet test` does not print a passing Microsoft.Testing.Platform app's output; the Markdown summary says the same.
        if (!project.TestingPlatform) Assert.Contains("ProfilingKit: nothing grew beyond the baseline " + project.Baseline, project.UnchangedOutput);
        Assert.Contains("Compared with the baseline `" + project.Baseline + "`: nothing grew", project.UnchangedMarkdown);

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
