using System.Text;
using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>`dotnet test` of a fresh project with EnableDebugPprof writes a pprof allocation profile and a hot-spot summary.</summary>
public class TestProfileTests : IClassFixture<ProfiledTestProjects>
{
    private readonly ProfiledTestProjects _projects;

    public TestProfileTests(ProfiledTestProjects projects) => _projects = projects;

    [Fact]
    public void Dotnet_test_logs_the_profile_the_estimated_total_and_the_top_functions()
    {
        var profile = ProfiledTestProjects.ProfilePath(_projects.VSTestDirectory, ProfiledTestProjects.VSTestProject);
        Assert.Contains("ProfilingKit: allocation profile " + profile, _projects.GreenOutput);
        Assert.Contains("ProfilingKit: estimated ", _projects.GreenOutput);
        Assert.Contains("ProfilingKit: top 5 functions by alloc_space", _projects.GreenOutput);
        Assert.Contains($"{ProfiledTestProjects.VSTestProject}.{ProfiledTestProjects.KnownMethodName} (Allocator.cs:{ProfiledTestProjects.AllocatingLine})", _projects.GreenOutput);
    }

    [Fact]
    public void Go_tool_pprof_top_shows_the_known_method_with_its_known_bytes()
    {
        AssertKnownMethod(_projects.GreenProfile, ProfiledTestProjects.VSTestProject);
    }

    [Fact]
    public void Go_tool_pprof_shows_the_allocating_source_line()
    {
        var lines = GoPprof.Run("-top", "-lines", _projects.GreenProfile).EnsureSuccess().StandardOutput;

        var expected = $"{ProfiledTestProjects.VSTestProject}.{ProfiledTestProjects.KnownMethodName} {Path.Combine(_projects.VSTestDirectory, "Allocator.cs")}:{ProfiledTestProjects.AllocatingLine}";
        Assert.Contains(expected, lines, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hot_spot_summary_has_the_known_methods_row_first()
    {
        var summaryPath = ProfiledTestProjects.SummaryPath(_projects.GreenProfile);
        var bytes = File.ReadAllBytes(summaryPath);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 without a byte-order mark");
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');

        Assert.Equal("# ProfilingKit hot-spot summary v2", lines[0]);
        Assert.Equal("# profile: " + ProfiledTestProjects.ProfilePath(_projects.VSTestDirectory, ProfiledTestProjects.VSTestProject), lines[1]);
        Assert.StartsWith("# total_alloc_bytes: ", lines[2]);
        Assert.Equal("# function\tfile\tline\tbytes\tshare\tsamples\tbytes_low\ttests", lines[3]);
        var row = lines[4].Split('\t');
        Assert.Equal($"{ProfiledTestProjects.VSTestProject}.{ProfiledTestProjects.KnownMethodName}", row[0]);
        Assert.Equal(Path.Combine(_projects.VSTestDirectory, "Allocator.cs"), row[1]);
        Assert.Equal(ProfiledTestProjects.AllocatingLine.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
        Assert.InRange(long.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), ProfiledTestProjects.KnownBytes * 0.85, ProfiledTestProjects.KnownBytes * 1.15);
        Assert.Matches(@"^0\.\d{4}$", row[4]);
        Assert.InRange(long.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture), 500, 1500); // about one sample per 100 KB of the ~100 MB
        Assert.InRange(long.Parse(row[6], System.Globalization.CultureInfo.InvariantCulture), 0.8 * long.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture), long.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"{ProfiledTestProjects.VSTestProject}.Green.Allocates_the_known_amount 100%", row[7]); // the test label says which test made the line hot
    }

    [Fact]
    public void A_red_run_fails_and_still_writes_its_profile()
    {
        Assert.NotEqual(0, _projects.RedExitCode);
        Assert.Contains("Failed!", _projects.RedOutput);
        Assert.True(File.Exists(_projects.RedProfile), "the red run writes its profile:\n" + _projects.RedOutput);
        AssertKnownMethod(_projects.RedProfile, ProfiledTestProjects.VSTestProject);
    }

    [Fact]
    public void A_product_project_that_names_the_summary_gets_PK1100_on_the_measured_line_and_a_missing_summary_is_a_warning()
    {
        // The product compiles the very file the tests ran (the summary names files by absolute path),
        // as a library the test project would reference does.
        var allocator = Path.Combine(_projects.VSTestDirectory, "Allocator.cs");
        var summary = ProfiledTestProjects.SummaryPath(_projects.GreenProfile);
        var product = _projects.Package.CreateProject("MeasuredProduct", new Dictionary<string, string>
        {
            ["MeasuredProduct.csproj"] = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                  </PropertyGroup>
                  <ItemGroup>
                    <Compile Include="{allocator}" />
                    <PackageReference Include="ProfilingKit" Version="{_projects.Package.Version}" />
                  </ItemGroup>
                </Project>
                """,
        });

        var measured = CommandLine.Dotnet(product, _projects.Package.CommandEnvironment, "build", $"-p:DebugPprofHotSpots={summary}");
        Assert.Matches(
            $@"Allocator\.cs\({ProfiledTestProjects.AllocatingLine},\d+\): warning PK1100: This line allocated [\d.]+ [kMG]?B in a measured test run, \d+% of all its allocations \(in '{ProfiledTestProjects.VSTestProject}\.{System.Text.RegularExpressions.Regex.Escape(ProfiledTestProjects.KnownMethodName)}'\)",
            measured);

        var missing = Path.Combine(product, "nowhere.hotspots.txt");
        var unmeasured = CommandLine.Dotnet(product, _projects.Package.CommandEnvironment, "build", "--no-incremental", $"-p:DebugPprofHotSpots={missing}");
        Assert.Contains($"warning PKB009: DebugPprofHotSpots names '{missing}', which does not exist", unmeasured);
        Assert.DoesNotContain("PK1100", unmeasured);
    }

    internal static void AssertKnownMethod(string profile, string project)
    {
        var result = GoPprof.Run("-top", profile).EnsureSuccess();
        var report = GoPprof.ParseTop(result.StandardOutput);
        Assert.Equal("alloc_space", report.Type);
        var row = report.Row($"{project}.{ProfiledTestProjects.KnownMethodName}");
        Assert.InRange(row.Flat, ProfiledTestProjects.KnownBytes * 0.85, ProfiledTestProjects.KnownBytes * 1.15);
        Assert.DoesNotContain("Local symbolization failed", result.AllOutput);
        // The mapping is the test assembly by its full path (the MSBuild task's and the platform extension's alike).
        Assert.Contains($"File: {project}.dll\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^1: \S+ /\S+/bin/\S+/{System.Text.RegularExpressions.Regex.Escape(project)}\.dll  \[FN\]", GoPprof.Run("-raw", profile).EnsureSuccess().StandardOutput);
    }
}
