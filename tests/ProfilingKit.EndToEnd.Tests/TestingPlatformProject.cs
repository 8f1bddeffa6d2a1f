namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// One fresh Microsoft.Testing.Platform test project with EnableDebugPprof (global.json selects the
/// platform for `dotnet test`), run three ways: a green `dotnet test`,
/// a red `dotnet test` (the failing test), and the test app on its own (the green test), each
/// once. After each run its profile and summary are moved aside, so the next run must write its own.
/// </summary>
public sealed class TestingPlatformProject
{
    public TestingPlatformProject(PackedPackage package, string name, string packageReferences, string extraProperties, string testsSource, string[] greenFilter, string[] redFilter)
    {
        Name = name;
        Directory = package.CreateProject(name, new Dictionary<string, string>
        {
            ["global.json"] = GlobalJson,
            [name + ".csproj"] = ProjectFile(package.Version, packageReferences, extraProperties),
            ["Allocator.cs"] = ProfiledTestProjects.AllocatorSource.Replace("NAMESPACE", name, StringComparison.Ordinal),
            ["Tests.cs"] = testsSource.Replace("NAMESPACE", name, StringComparison.Ordinal),
        });

        (GreenExitCode, GreenOutput) = CommandLine.DotnetWithExitCode(Directory, package.CommandEnvironment, ["test", .. greenFilter]);
        GreenProfile = ProfiledTestProjects.CopyProfile(Directory, name, "green");
        (RedExitCode, RedOutput) = CommandLine.DotnetWithExitCode(Directory, package.CommandEnvironment, ["test", "--no-build", .. redFilter]);
        RedProfile = ProfiledTestProjects.CopyProfile(Directory, name, "red");
        (AppExitCode, AppOutput) = CommandLine.DotnetWithExitCode(Directory, package.CommandEnvironment, ["exec", AppPath, .. greenFilter]);
        AppProfile = ProfiledTestProjects.CopyProfile(Directory, name, "app");
        TracesAfterAppRun = System.IO.Directory.GetFiles(TraceDirectory, "*.nettrace");

        // Last, as it rebuilds the app: a DebugPprofFocus that is no regular expression must give PKB006, not a profile.
        CommandLine.Dotnet(Directory, package.CommandEnvironment, "build", "-p:DebugPprofFocus=(");
        (BadFocusExitCode, BadFocusOutput) = CommandLine.DotnetWithExitCode(Directory, package.CommandEnvironment, ["exec", AppPath, .. greenFilter]);
    }

    /// <summary>Selects the platform for `dotnet test` in the project's folder.</summary>
    public const string GlobalJson = """{ "test": { "runner": "Microsoft.Testing.Platform" } }""";

    /// <summary>A Microsoft.Testing.Platform test app's project file with EnableDebugPprof and the packed package.</summary>
    public static string ProjectFile(string packageVersion, string packageReferences, string extraProperties, string items = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Exe</OutputType>
            <Nullable>enable</Nullable>
            <EnableDebugPprof>true</EnableDebugPprof>
            {extraProperties}
          </PropertyGroup>
          <ItemGroup>
            {packageReferences}
            <PackageReference Include="ProfilingKit" Version="{packageVersion}" />
            {items}
          </ItemGroup>
        </Project>
        """;

    public string Name { get; }

    public string Directory { get; }

    /// <summary>The test app the build wrote.</summary>
    public string AppPath => Path.Combine(Directory, "bin", "Debug", "net10.0", Name + ".dll");

    /// <summary>Where the project's profile is written (the moved copies are beside the project).</summary>
    public string ProfilePath => ProfiledTestProjects.ProfilePath(Directory, Name);

    public int GreenExitCode { get; }

    /// <summary>What `dotnet test` printed for the passing test.</summary>
    public string GreenOutput { get; }

    /// <summary>A copy of the profile the green run wrote, or a path that does not exist.</summary>
    public string GreenProfile { get; }

    public int RedExitCode { get; }

    /// <summary>What `dotnet test` printed for the failing test, which allocates the known amount too.</summary>
    public string RedOutput { get; }

    public string RedProfile { get; }

    public int AppExitCode { get; }

    /// <summary>What the test app printed when run by itself (`dotnet exec`), through the platform's own terminal output.</summary>
    public string AppOutput { get; }

    public string AppProfile { get; }

    /// <summary>The default DebugPprofTraceDirectory.</summary>
    public string TraceDirectory => Path.Combine(Directory, "obj", "pprof", "net10.0");

    /// <summary>The traces in <see cref="TraceDirectory"/> once the app has run by itself.</summary>
    public IReadOnlyList<string> TracesAfterAppRun { get; }

    public int BadFocusExitCode { get; }

    /// <summary>What the app printed when built with DebugPprofFocus=( and run by itself.</summary>
    public string BadFocusOutput { get; }
}
