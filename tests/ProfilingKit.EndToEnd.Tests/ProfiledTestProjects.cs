namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The package packed once and a fresh xunit test project on VSTest that uses it with EnableDebugPprof,
/// run green, then red. Each test allocates a known amount in a known method
/// (<see cref="TestingPlatformProjects"/> does the same on Microsoft.Testing.Platform).
/// </summary>
public sealed class ProfiledTestProjects
{
    public const string VSTestProject = "ProfiledTests";
    public const string KnownMethodName = "Allocator.AllocateKnown";

    /// <summary>100,000 arrays of 1,000 bytes, each 1,024 bytes with its header on 64-bit.</summary>
    public const long KnownBytes = 100_000L * 1_024;

    public const string AllocatorSource = """
        using System.Runtime.CompilerServices;

        namespace NAMESPACE;

        public static class Allocator
        {
            public static object? Sink;

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void AllocateKnown()
            {
                for (var i = 0; i < 100_000; i++)
                {
                    Sink = new byte[1_000];
                }
            }
        }
        """;

    /// <summary>xunit tests (xunit 2 and xunit.v3 alike): Green allocates the known amount, Red allocates it and fails.</summary>
    public const string TestsSource = """
        namespace NAMESPACE;

        public class Green
        {
            [Xunit.Fact]
            public void Allocates_the_known_amount() => Allocator.AllocateKnown();
        }

        public class Red
        {
            [Xunit.Fact]
            public void Allocates_the_known_amount_then_fails()
            {
                Allocator.AllocateKnown();
                Xunit.Assert.Fail("this test fails on purpose: a red run must still give its profile");
            }
        }
        """;

    public ProfiledTestProjects()
    {
        Package = PackedPackage.Shared;

        VSTestDirectory = Package.CreateProject(VSTestProject, new Dictionary<string, string>
        {
            [VSTestProject + ".csproj"] = VSTestProjectFile(Package.Version),
            ["Allocator.cs"] = AllocatorSource.Replace("NAMESPACE", VSTestProject, StringComparison.Ordinal),
            ["Tests.cs"] = TestsSource.Replace("NAMESPACE", VSTestProject, StringComparison.Ordinal),
        });
        GreenOutput = CommandLine.Dotnet(VSTestDirectory, Package.CommandEnvironment, "test", "--filter", "FullyQualifiedName~Green");
        GreenProfile = CopyProfile(VSTestDirectory, VSTestProject, "green");
        (RedExitCode, RedOutput) = CommandLine.DotnetWithExitCode(VSTestDirectory, Package.CommandEnvironment, "test", "--no-build", "--filter", "FullyQualifiedName~Red");
        RedProfile = CopyProfile(VSTestDirectory, VSTestProject, "red");
    }

    public PackedPackage Package { get; }

    public string VSTestDirectory { get; }

    /// <summary>What `dotnet test` printed for the passing test.</summary>
    public string GreenOutput { get; }

    /// <summary>A copy of the profile the green run wrote.</summary>
    public string GreenProfile { get; }

    public int RedExitCode { get; }

    public string RedOutput { get; }

    /// <summary>A copy of the profile the red run wrote, or a path that does not exist.</summary>
    public string RedProfile { get; }

    /// <summary>
    /// The project file of an xunit test project on VSTest that references the package and has EnableDebugPprof:
    /// <paramref name="frameworks"/> is its TargetFramework or TargetFrameworks element, <paramref name="items"/> more items.
    /// </summary>
    public static string VSTestProjectFile(string packageVersion, string frameworks = "<TargetFramework>net10.0</TargetFramework>", string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            {frameworks}
            <Nullable>enable</Nullable>
            <IsTestProject>true</IsTestProject>
            <EnableDebugPprof>true</EnableDebugPprof>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
            <PackageReference Include="xunit" Version="2.9.3" />
            <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
            <PackageReference Include="ProfilingKit" Version="{packageVersion}" />
            {items}
          </ItemGroup>
        </Project>
        """;

    /// <summary>The default DebugPprofOutput of a project.</summary>
    public static string ProfilePath(string directory, string project) =>
        Path.Combine(directory, "TestResults", "pprof", project + ".allocs.pb.gz");

    /// <summary>The hot-spot summary beside a profile: X.allocs.pb.gz gives X.hotspots.txt.</summary>
    public static string SummaryPath(string profile) => profile.Substring(0, profile.Length - ".allocs.pb.gz".Length) + ".hotspots.txt";

    /// <summary>The 1-based line of the allocation in Allocator.cs.</summary>
    public static int AllocatingLine { get; } =
        AllocatorSource.Split('\n').Select((line, index) => (line, index)).Single(l => l.line.Contains("new byte[1_000]", StringComparison.Ordinal)).index + 1;

    /// <summary>Moves the run's profile and summary aside, so the next run must write its own.</summary>
    public static string CopyProfile(string directory, string project, string run)
    {
        var profile = ProfilePath(directory, project);
        var copy = Path.Combine(directory, $"{run}.allocs.pb.gz");
        if (!File.Exists(profile)) return copy;

        File.Move(profile, copy);
        File.Move(SummaryPath(profile), SummaryPath(copy));
        return copy;
    }
}
