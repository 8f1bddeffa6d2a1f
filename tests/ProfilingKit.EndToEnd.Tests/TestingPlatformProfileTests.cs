using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// Microsoft.Testing.Platform projects get their profile from one `dotnet test`, as VSTest projects do,
/// through ProfilingKit's platform extension: green and red, on platform 1.x and 2.x.
/// </summary>
public class TestingPlatformProfileTests : IClassFixture<TestingPlatformProjects>
{
    private readonly TestingPlatformProjects _projects;

    public TestingPlatformProfileTests(TestingPlatformProjects projects) => _projects = projects;

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void A_green_dotnet_test_writes_the_profile_and_lists_it_and_its_summary(string name)
    {
        var project = _projects.Project(name);

        Assert.True(project.GreenExitCode == 0, project.GreenOutput);
        Assert.True(File.Exists(project.GreenProfile), "the green run writes its profile:\n" + project.GreenOutput);
        TestProfileTests.AssertKnownMethod(project.GreenProfile, project.Name);
        AssertListsTheFiles(project, project.GreenOutput);
    }

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void The_green_test_s_samples_carry_its_name_as_the_test_label(string name)
    {
        var project = _projects.Project(name);
        var test = project.Name + ".Green.Allocates_the_known_amount";

        var top = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", $"-tagfocus=test=^{test.Replace(".", "\\.", StringComparison.Ordinal)}$", project.GreenProfile).EnsureSuccess().StandardOutput;
        var rows = GoPprof.ParseTop(top).Rows;
        var known = rows.Where(row => row.Name.EndsWith(ProfiledTestProjects.KnownMethodName, StringComparison.Ordinal)).Sum(row => row.Flat);
        Assert.InRange(known / ProfiledTestProjects.KnownBytes, 0.85, 1.15);
    }

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void A_red_dotnet_test_fails_writes_the_profile_and_prints_the_summary_lines(string name)
    {
        var project = _projects.Project(name);

        Assert.True(project.RedExitCode != 0, project.RedOutput);
        Assert.True(File.Exists(project.RedProfile), "the red run writes its profile:\n" + project.RedOutput);
        TestProfileTests.AssertKnownMethod(project.RedProfile, project.Name);
        AssertSummaryLines(project, project.RedOutput);
        AssertListsTheFiles(project, project.RedOutput);
    }

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void The_test_app_run_by_itself_prints_the_summary_lines_through_the_platforms_output(string name)
    {
        var project = _projects.Project(name);

        Assert.True(project.AppExitCode == 0, project.AppOutput);
        TestProfileTests.AssertKnownMethod(project.AppProfile, project.Name);
        AssertSummaryLines(project, project.AppOutput);
    }

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void Only_the_test_host_is_traced_and_nothing_is_written_into_the_source_folder(string name)
    {
        var project = _projects.Project(name);

        // The controller process that starts the host would write a second trace if it had the variables.
        Assert.Single(project.TracesAfterAppRun);
        var sourceFiles = Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(project.Directory, path))
            .Where(path => !path.StartsWith("bin", StringComparison.Ordinal) && !path.StartsWith("obj", StringComparison.Ordinal) && !path.StartsWith("TestResults", StringComparison.Ordinal))
            .Where(path => !path.Contains(".allocs.pb.gz", StringComparison.Ordinal) && !path.EndsWith(".hotspots.txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["Allocator.cs", project.Name + ".csproj", "Tests.cs", "global.json", "nuget.config"], sourceFiles.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(nameof(TestingPlatformProjects.Xunit))]
    [InlineData(nameof(TestingPlatformProjects.MSTest))]
    public void A_trace_problem_is_a_PKB_warning_through_the_platforms_output_and_does_not_fail_the_run(string name)
    {
        var project = _projects.Project(name);

        Assert.True(project.BadFocusExitCode == 0, project.BadFocusOutput);
        Assert.Contains("warning PKB006: ProfilingKit: DebugPprofFocus '(' is not a valid regular expression", project.BadFocusOutput);
        Assert.DoesNotContain("ProfilingKit: allocation profile", project.BadFocusOutput);
    }

    /// <summary>The lines the MSBuild task logs for VSTest, here from the platform extension.</summary>
    private static void AssertSummaryLines(TestingPlatformProject project, string output)
    {
        Assert.Contains("ProfilingKit: allocation profile " + project.ProfilePath, output);
        Assert.Contains("ProfilingKit: estimated ", output);
        Assert.Contains("ProfilingKit: top 5 functions by alloc_space (flat):", output);
        Assert.Contains($"{project.Name}.{ProfiledTestProjects.KnownMethodName} (Allocator.cs:{ProfiledTestProjects.AllocatingLine})", output);
        Assert.Contains("ProfilingKit: hot-spot summary " + ProfiledTestProjects.SummaryPath(project.ProfilePath), output);
    }

    /// <summary>`dotnet test` lists the files a run produced, green or red.</summary>
    private static void AssertListsTheFiles(TestingPlatformProject project, string output)
    {
        Assert.Contains("file artifacts produced:", output);
        Assert.Contains("- " + project.ProfilePath, output);
        Assert.Contains("- " + ProfiledTestProjects.SummaryPath(project.ProfilePath), output);
    }
}
