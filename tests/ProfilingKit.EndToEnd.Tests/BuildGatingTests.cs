using System.IO.Compression;
using System.Text.RegularExpressions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The package's build integration loads only where it is asked for: its tasks only in test projects
/// with EnableDebugPprof under MSBuild on .NET, its test targets only in projects that reference the
/// package themselves, its platform extension only in profiled Microsoft.Testing.Platform projects.
/// </summary>
public class BuildGatingTests
{
    /// <summary>A target of the project's own that calls a ProfilingKit task: MSB4036 unless the UsingTask is registered.</summary>
    private const string TaskProbeTarget = """
        <Target Name="UseProfilingKitTask">
          <ProfilingKit.Build.SetEnvironmentVariable Name="PROFILINGKIT_GATE_PROBE" Value="1" />
        </Target>
        """;

    private readonly PackedPackage _package = PackedPackage.Shared;

    [Theory]
    [InlineData("-p:EnableDebugPprof=true", false)]
    [InlineData("-p:IsTestProject=true", false)]
    [InlineData("-p:EnableDebugPprof=true -p:IsTestProject=true -p:IsTestingPlatformApplication=true", false)]
    [InlineData("-p:EnableDebugPprof=true -p:IsTestProject=true", true)]
    public void The_tasks_are_registered_only_in_a_VSTest_project_with_EnableDebugPprof(string properties, bool registered)
    {
        var library = Library("TaskGate");

        var (exitCode, output) = CommandLine.DotnetWithExitCode(library, _package.CommandEnvironment, ["msbuild", "-restore", "-t:UseProfilingKitTask", .. properties.Split(' ')]);

        if (registered)
        {
            Assert.True(exitCode == 0, output);
        }
        else
        {
            Assert.True(exitCode != 0, output);
            Assert.Contains("error MSB4036", output);
        }
    }

    [Theory]
    [InlineData("-p:EnableDebugPprof=true -p:IsTestingPlatformApplication=true", true)]
    [InlineData("-p:IsTestingPlatformApplication=true", false)]
    [InlineData("-p:EnableDebugPprof=true", false)]
    [InlineData("-p:EnableDebugPprof=true -p:IsTestProject=true", false)]
    public void The_platform_extension_is_referenced_and_registered_only_in_a_profiled_testing_platform_project(string properties, bool referenced)
    {
        var library = Library("ExtensionGate");
        CommandLine.Dotnet(library, _package.CommandEnvironment, "restore");

        var items = CommandLine.Dotnet(library, _package.CommandEnvironment,
            ["msbuild", "-getItem:Reference", "-getItem:TestingPlatformBuilderHook", "-getItem:RuntimeHostConfigurationOption", .. properties.Split(' ')]);

        var extension = $"testing-platform{Path.DirectorySeparatorChar}net10.0{Path.DirectorySeparatorChar}ProfilingKit.Testing.Platform.dll";
        Assert.Equal(referenced, items.Contains(extension, StringComparison.Ordinal));
        Assert.Equal(referenced, items.Contains("ProfilingKit.Testing.Platform.TestingPlatformBuilderHook", StringComparison.Ordinal));
        Assert.Equal(referenced, items.Contains("ProfilingKit.TestProfile.TraceDirectory", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_that_references_the_package_through_a_library_gets_its_props_but_no_test_targets()
    {
        var library = Library("DirectLibrary");
        var consumer = _package.CreateProject("TransitiveTests", new Dictionary<string, string>
        {
            ["TransitiveTests.csproj"] = $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <IsTestProject>true</IsTestProject>
                    <EnableDebugPprof>true</EnableDebugPprof>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(library, "DirectLibrary.csproj")}" />
                  </ItemGroup>
                  {TaskProbeTarget}
                </Project>
                """,
            ["Empty.cs"] = "namespace TransitiveTests; public static class Empty;",
        });
        CommandLine.Dotnet(consumer, _package.CommandEnvironment, "build");

        var consumerTargets = Preprocess(consumer);
        Assert.DoesNotContain("ProfilingKitBeforeVSTest", consumerTargets);
        Assert.DoesNotContain("ProfilingKit.Build.ConvertTraceToPprof", consumerTargets);
        // buildTransitive/ProfilingKit.props: the generator, which flows to transitive consumers with the analyzers, reads the consumer's own properties.
        Assert.Contains("<CompilerVisibleProperty Include=\"EnableDebugPprof\" />", consumerTargets);
        var editorConfig = File.ReadAllText(Path.Combine(consumer, "obj", "Debug", "net10.0", "TransitiveTests.GeneratedMSBuildEditorConfig.editorconfig"));
        Assert.Contains("build_property.EnableDebugPprof = true", editorConfig);
        var (exitCode, output) = CommandLine.DotnetWithExitCode(consumer, _package.CommandEnvironment, "msbuild", "-t:UseProfilingKitTask");
        Assert.True(exitCode != 0 && output.Contains("error MSB4036", StringComparison.Ordinal), output);

        // The library references the package itself: it gets the test targets.
        Assert.Contains("ProfilingKitBeforeVSTest", Preprocess(library));
    }

    /// <summary>
    /// MSBuildRuntimeType is reserved (no -p: sets it) and this machine has no .NET Framework MSBuild, so this
    /// test stands in for Visual Studio's MSBuild.exe by reading the packed targets with every
    /// <c>'$(MSBuildRuntimeType)'</c> replaced by <c>'Full'</c>, imported where NuGet imports them (after the SDK's
    /// targets), the package's own build/ targets excluded. That checks the conditions, not a real Framework MSBuild.
    /// </summary>
    [Fact]
    public void Under_a_NET_Framework_MSBuild_a_profiled_VSTest_project_builds_and_tests_with_one_PKB010_warning_and_no_task()
    {
        string targets;
        using (var nupkg = ZipFile.OpenRead(_package.PackagePath))
        using (var reader = new StreamReader(nupkg.GetEntry("build/ProfilingKit.targets")!.Open()))
        {
            targets = reader.ReadToEnd();
        }

        var runtimeTypeReads = Regex.Count(targets, Regex.Escape("'$(MSBuildRuntimeType)'"));
        Assert.True(runtimeTypeReads >= 3, "the targets read MSBuildRuntimeType where they gate the tasks");
        var project = _package.CreateProject("FrameworkMSBuildTests", new Dictionary<string, string>
        {
            ["ProfilingKit.FullMSBuild.targets"] = targets.Replace("'$(MSBuildRuntimeType)'", "'Full'", StringComparison.Ordinal),
            ["FrameworkMSBuildTests.csproj"] = $"""
                <Project>
                  <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <IsTestProject>true</IsTestProject>
                    <EnableDebugPprof>true</EnableDebugPprof>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                    <PackageReference Include="xunit" Version="2.9.3" />
                    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                    <PackageReference Include="ProfilingKit" Version="{_package.Version}" ExcludeAssets="build" />
                  </ItemGroup>
                  <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
                  <Import Project="ProfilingKit.FullMSBuild.targets" />
                </Project>
                """,
            ["Tests.cs"] = "namespace FrameworkMSBuildTests; public class Tests { [Xunit.Fact] public void Passes() { } }",
        });

        var build = CommandLine.Dotnet(project, _package.CommandEnvironment, "build", "-tl:off");
        Assert.Contains("warning PKB010: ProfilingKit: EnableDebugPprof is on, but this build runs on MSBuild for .NET Framework", build);
        Assert.Contains("1 Warning(s)", build); // the one warning of the build: PKB010, once
        Assert.Contains("0 Error(s)", build);

        var test = CommandLine.Dotnet(project, _package.CommandEnvironment, "test", "--no-build");
        Assert.Contains("Passed!", test);
        Assert.DoesNotContain("ProfilingKit: tracing", test);
        Assert.DoesNotContain(": error ", test, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(project, "TestResults", "pprof")), "no profile where the tasks cannot load");
    }

    /// <summary>A class library that references the package directly and has <see cref="TaskProbeTarget"/>.</summary>
    private string Library(string name) => _package.CreateProject(name, new Dictionary<string, string>
    {
        [name + ".csproj"] = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ProfilingKit" Version="{_package.Version}" />
              </ItemGroup>
              {TaskProbeTarget}
            </Project>
            """,
        ["Empty.cs"] = $"namespace {name}; public static class Empty;",
    });

    /// <summary>The project with every import inlined (<c>dotnet msbuild -preprocess</c>).</summary>
    private string Preprocess(string directory)
    {
        var file = Path.Combine(directory, "preprocessed.xml");
        CommandLine.Dotnet(directory, _package.CommandEnvironment, "msbuild", "-preprocess:" + file);
        return File.ReadAllText(file);
    }
}
