namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The analyzers' defaults, from the packed package in fresh projects (issue 17): adding the package
/// does not break a TreatWarningsAsErrors library, not even with a measured hot-spot summary named;
/// a test project gets no allocation diagnostics; the untouched worker template builds clean.
/// </summary>
public class AnalyzerDefaultsTests : IClassFixture<AnalyzerDefaultsTests.Projects>
{
    private readonly Projects _projects;

    public AnalyzerDefaultsTests(Projects projects) => _projects = projects;

    [Fact]
    public void A_TreatWarningsAsErrors_library_builds_with_the_package()
    {
        Assert.True(_projects.Library.ExitCode == 0, _projects.Library.Output);
        Assert.DoesNotContain("error PK", _projects.Library.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Its_measured_hot_line_is_a_warning_not_an_error()
    {
        Assert.Matches($@"Hot\.cs\({Projects.HotLine},\d+\): warning PK1100: ", _projects.Library.Output);
        // The boxing in the measured member warns too; the package keeps it out of warnings-as-errors.
        Assert.Matches($@"Hot\.cs\({Projects.HotLine},\d+\): warning PK1003: ", _projects.Library.Output);
    }

    [Fact]
    public void Its_allocations_in_cold_code_and_plain_loops_are_not_warnings()
    {
        Assert.DoesNotMatch(@"Loops\.cs\(\d+,\d+\): (warning|error) PK", _projects.Library.Output);
    }

    [Fact]
    public void A_TreatWarningsAsErrors_test_project_gets_no_allocation_diagnostics()
    {
        Assert.True(_projects.TestProject.ExitCode == 0, _projects.TestProject.Output);
        Assert.DoesNotMatch(@"(warning|error) PK1", _projects.TestProject.Output);
    }

    [Fact]
    public void The_worker_template_builds_without_a_ProfilingKit_warning()
    {
        Assert.True(_projects.Worker.ExitCode == 0, _projects.Worker.Output);
        Assert.DoesNotMatch(@"(warning|error) PK", _projects.Worker.Output);
    }

    /// <summary>The three fresh projects, each built once (with TreatWarningsAsErrors).</summary>
    public sealed class Projects
    {
        public const int HotLine = 9;

        private const string LoopsSource = """
            using System.Collections.Generic;
            using System.Linq;

            namespace Lib;

            public static class Loops
            {
                public static int Run(List<object> sink, int[] values)
                {
                    var total = 0;
                    foreach (var value in values)
                    {
                        sink.Add(value);                                  // PK1003: a suggestion
                        total += values.Where(v => v > value).Count();    // PK1004, PK1005: suggestions
                    }

                    return total;
                }
            }
            """;

        // Line 9 is the measured one (HotLine).
        private const string HotSource = """
            namespace Lib;

            public static class Hot
            {
                public static object? Sink;

                public static void Measured(int i)
                {
                    Sink = i;
                }
            }
            """;

        private const string TestsSource = """
            namespace LibTests;

            public class Tests
            {
                [Xunit.Fact]
                public void Builds_a_string()
                {
                    var text = "";
                    for (var i = 0; i < 10; i++) text += i;   // PK1001 outside a test project
                    Xunit.Assert.Equal(10, text.Length);
                }
            }
            """;

        public Projects()
        {
            var package = PackedPackage.Shared;

            var library = package.CreateProject("Lib", new Dictionary<string, string>
            {
                ["Lib.csproj"] = $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <Nullable>enable</Nullable>
                        <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                        <DebugPprofHotSpots>measured.hotspots.txt</DebugPprofHotSpots>
                      </PropertyGroup>
                      <ItemGroup>
                        <PackageReference Include="ProfilingKit" Version="{package.Version}" />
                      </ItemGroup>
                    </Project>
                    """,
                ["Loops.cs"] = LoopsSource,
                ["Hot.cs"] = HotSource,
            });
            File.WriteAllText(Path.Combine(library, "measured.hotspots.txt"),
                $"# ProfilingKit hot-spot summary v1\n# function\tfile\tline\tbytes\tshare\nLib.Hot.Measured\t{Path.Combine(library, "Hot.cs")}\t{HotLine}\t52428800\t0.5000\n");
            Library = CommandLine.DotnetWithExitCode(library, package.CommandEnvironment, "build");

            var tests = package.CreateProject("LibTests", new Dictionary<string, string>
            {
                ["LibTests.csproj"] = $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <TargetFramework>net10.0</TargetFramework>
                        <Nullable>enable</Nullable>
                        <IsTestProject>true</IsTestProject>
                        <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                      </PropertyGroup>
                      <ItemGroup>
                        <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                        <PackageReference Include="xunit" Version="2.9.3" />
                        <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                        <PackageReference Include="ProfilingKit" Version="{package.Version}" />
                      </ItemGroup>
                    </Project>
                    """,
                ["Tests.cs"] = TestsSource,
            });
            TestProject = CommandLine.DotnetWithExitCode(tests, package.CommandEnvironment, "build");

            var worker = package.CreateProject("WorkerApp", new Dictionary<string, string>());
            CommandLine.Dotnet(worker, package.CommandEnvironment, "new", "worker", "-n", "WorkerApp", "-o", worker);
            CommandLine.Dotnet(worker, package.CommandEnvironment, "add", "package", "ProfilingKit", "--version", package.Version);
            Worker = CommandLine.DotnetWithExitCode(worker, package.CommandEnvironment, "build", "-p:TreatWarningsAsErrors=true");
        }

        public (int ExitCode, string Output) Library { get; }

        public (int ExitCode, string Output) TestProject { get; }

        public (int ExitCode, string Output) Worker { get; }
    }
}
