using System.Text.RegularExpressions;
using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The profile of a suite named like its namespace (MyCompany.Tests over MyCompany.Lib), read with the
/// README's namespace patterns through the real go tool pprof, and what its build log says.
/// </summary>
public class CompanyTestProfileTests : IClassFixture<CompanyTestProjects>
{
    private readonly CompanyTestProjects _projects;

    public CompanyTestProfileTests(CompanyTestProjects projects) => _projects = projects;

    [Fact]
    public void Focus_on_the_company_namespace_keeps_only_the_samples_with_a_frame_of_it()
    {
        var focused = GoPprof.Run("-traces", @"-focus=^MyCompany\.", _projects.Profile).EnsureSuccess().StandardOutput;

        var stacks = GoPprof.Stacks(focused);
        Assert.Contains(stacks, stack => stack.Contains(CompanyTestProjects.LibraryMethod, StringComparison.Ordinal));
        Assert.Contains(stacks, stack => stack.Contains(CompanyTestProjects.TestMethod, StringComparison.Ordinal));
        Assert.All(stacks, stack => Assert.Contains("MyCompany.", stack, StringComparison.Ordinal));
        // The test platform's and the runtime's own samples are left out.
        Assert.True(GoPprof.Kept(_projects.Profile, @"-focus=^MyCompany\.") < GoPprof.Kept(_projects.Profile), focused);
    }

    [Fact]
    public void Ignore_of_the_test_namespace_drops_only_the_samples_with_a_frame_of_it()
    {
        const string Tests = @"^MyCompany\.Tests\.";
        var ignored = GoPprof.Run("-traces", "-ignore=" + Tests, _projects.Profile).EnsureSuccess().StandardOutput;

        var stacks = GoPprof.Stacks(ignored);
        Assert.NotEmpty(stacks);
        // The frames only: each sample's test label names its test, MyCompany.Tests.* too, and -ignore matches frames.
        Assert.All(stacks, stack => Assert.DoesNotContain("MyCompany.Tests.", Regex.Replace(stack, @"(?m)^\s*test:.*$", ""), StringComparison.Ordinal));
        var all = GoPprof.Kept(_projects.Profile);
        Assert.InRange(GoPprof.Kept(_projects.Profile, "-ignore=" + Tests) + GoPprof.Kept(_projects.Profile, "-focus=" + Tests), 0.99 * all, 1.01 * all);
    }

    [Fact]
    public void One_framework_in_TargetFrameworks_gives_the_plain_file_names_and_a_trace_folder_without_a_doubled_slash()
    {
        Assert.True(File.Exists(_projects.Profile), _projects.Output);
        Assert.True(File.Exists(ProfiledTestProjects.SummaryPath(_projects.Profile)), _projects.Output);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_projects.Profile)!, "*.net10.0.*"));
        var traceFolder = Path.Combine(_projects.TestDirectory, "obj", "pprof", "net10.0") + Path.DirectorySeparatorChar;
        Assert.Contains($"ProfilingKit: tracing the test host's allocations into {traceFolder}.", _projects.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("//", Regex.Replace(_projects.Output, "https?://", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void The_trace_folder_has_no_doubled_slash_while_obj_does_not_exist_yet()
    {
        // Restore writes elsewhere (as with a central restore folder), so obj/ does not exist when the build is evaluated,
        // and MSBuild then leaves BaseIntermediateOutputPath's default 'obj\' as it is.
        var project = _projects.Package.CreateProject("RestoredElsewhere", new Dictionary<string, string>
        {
            ["Directory.Build.props"] = "<Project><PropertyGroup><MSBuildProjectExtensionsPath>$(MSBuildThisFileDirectory)restore/</MSBuildProjectExtensionsPath></PropertyGroup></Project>",
            ["RestoredElsewhere.csproj"] = ProfiledTestProjects.VSTestProjectFile(_projects.Package.Version),
        });
        CommandLine.Dotnet(project, _projects.Package.CommandEnvironment, "restore");
        Assert.False(Directory.Exists(Path.Combine(project, "obj")));

        var folder = CommandLine.Dotnet(project, _projects.Package.CommandEnvironment, "msbuild", "-getProperty:DebugPprofTraceDirectory").Trim();

        Assert.Equal(Path.Combine(project, "obj", "pprof", "net10.0") + Path.DirectorySeparatorChar, folder);
    }

    [Fact]
    public void The_log_lists_the_top_sites_in_your_code_after_the_flat_top()
    {
        var lines = _projects.Output.Split('\n').Select(line => line.Trim()).ToList();
        var heading = lines.FindIndex(line => Regex.IsMatch(line, @"^ProfilingKit: top [1-5] sites in your code \(innermost frame of your code, with what it called\):$"));
        Assert.True(heading >= 0, _projects.Output);
        var sites = lines.Skip(heading + 1).TakeWhile(line => Regex.IsMatch(line, @"^ProfilingKit: +[\d.]+ [kMG]?B ")).ToList();

        var line = CompanyTestProjects.LibrarySource.Split('\n').Select((text, index) => (text, index)).Single(l => l.text.Contains("text.ToString()", StringComparison.Ordinal)).index + 1;
        Assert.Contains(sites, site => site.Contains($"{CompanyTestProjects.LibraryMethod} (ReportBuilder.cs:{line})", StringComparison.Ordinal));
        Assert.Contains(sites, site => site.Contains(CompanyTestProjects.TestMethod + " (Tests.cs:", StringComparison.Ordinal));
        Assert.All(sites, site => Assert.Contains(" MyCompany.", site, StringComparison.Ordinal));
        // The flat top is the framework's: the library allocates through StringBuilder.
        var flat = lines.FindIndex(line => line.StartsWith("ProfilingKit: top ", StringComparison.Ordinal) && line.Contains("functions by alloc_space (flat)", StringComparison.Ordinal));
        Assert.Contains(lines.Skip(flat + 1).Take(heading - flat - 1), entry => entry.Contains(" System.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_framework_whose_runtime_is_not_installed_gets_a_PKB011_warning_naming_it_and_the_others_their_profiles()
    {
        var project = _projects.Package.CreateProject("TwoFrameworks", new Dictionary<string, string>
        {
            ["TwoFrameworks.csproj"] = ProfiledTestProjects.VSTestProjectFile(_projects.Package.Version, "<TargetFrameworks>net10.0;net8.0</TargetFrameworks>"),
            ["Tests.cs"] = CompanyTestProjects.TestsSource.Replace("MyCompany.Lib.ReportBuilder.Build(1_000)", "new string('x', 1_000)", StringComparison.Ordinal),
        });
        // net8.0 needs a runtime this machine does not have (only .NET 10 is installed here and in CI).
        var (_, output) = CommandLine.DotnetWithExitCode(project, _projects.Package.CommandEnvironment, "test", "-tl:off");

        Assert.Matches(@"warning PKB011: ProfilingKit: no trace in \S+/obj/pprof/net8\.0/: the test host cannot have started: TwoFrameworks\.runtimeconfig\.json asks for Microsoft\.NETCore\.App 8\.0\.0, .*\(installed: 10\.", output);
        Assert.DoesNotContain("PKB001", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "TestResults", "pprof", "TwoFrameworks.net10.0.allocs.pb.gz")), output);
    }
}
