using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A trace converted after the test project was rebuilt (`dotnet msbuild -t:ProfilingKitConvert` after a
/// red run with DebugPprofConvertOnFailure=false, or any later convert): the PDB on disk is then another
/// build's, and its lines would be that build's. A fresh VSTest project from the packed package is
/// tested, rebuilt with its allocation ten lines further down, and its trace converted again.
/// </summary>
public sealed class StalePdbTests
{
    private const string Name = "StalePdbTests";

    [Fact]
    public void Converting_after_a_rebuild_leaves_the_rebuilt_code_without_lines_and_says_why()
    {
        var package = PackedPackage.Shared;
        var allocator = ProfiledTestProjects.AllocatorSource.Replace("NAMESPACE", Name, StringComparison.Ordinal);
        var directory = package.CreateProject(Name, new Dictionary<string, string>
        {
            [Name + ".csproj"] = ProfiledTestProjects.VSTestProjectFile(package.Version),
            ["Allocator.cs"] = allocator,
            ["Tests.cs"] = ProfiledTestProjects.TestsSource.Replace("NAMESPACE", Name, StringComparison.Ordinal),
        });
        var profile = ProfiledTestProjects.ProfilePath(directory, Name);
        var allocatorPath = Path.Combine(directory, "Allocator.cs");
        var row = $"{Name}.Allocator.AllocateKnown\t{allocatorPath}\t";

        CommandLine.Dotnet(directory, package.CommandEnvironment, "test", "--filter", "FullyQualifiedName~Green");
        Assert.Contains(row + ProfiledTestProjects.AllocatingLine + "\t", File.ReadAllText(ProfiledTestProjects.SummaryPath(profile)));

        // The same code ten lines down, rebuilt: the traced assembly's PDB is gone.
        File.WriteAllText(allocatorPath, string.Concat(Enumerable.Repeat("// moved down\n", 10)) + allocator);
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build");
        var (exitCode, output) = CommandLine.DotnetWithExitCode(directory, package.CommandEnvironment, "msbuild", "-t:ProfilingKitConvert");

        Assert.True(exitCode == 0, output); // a warning, not an error
        Assert.Contains($"warning PKB012: ProfilingKit: the PDB of {Path.Combine(directory, "bin", "Debug", "net10.0", Name + ".dll")} is not the traced code's", output);
        Assert.DoesNotContain(row, File.ReadAllText(ProfiledTestProjects.SummaryPath(profile))); // neither the old line nor the new one
        var comments = GoPprof.Run("-comments", profile).EnsureSuccess().StandardOutput;
        Assert.Contains($"the PDB of {Name}.dll is not the traced code's", comments);
        var top = GoPprof.Run("-top", "-lines", "-nodecount=20", profile).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain("Allocator.cs:", top);
        Assert.Contains($"{Name}.Allocator.AllocateKnown", top); // the frame is still named, from the trace
    }
}
