namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The dotnet pprof tool as a user gets it: src/ProfilingKit.Tool packed into the shared package's
/// feed with the same version, then <c>dotnet tool install --tool-path</c> from that feed, and run as
/// <c>dotnet pprof</c> with the tool folder on PATH (the SDK finds <c>dotnet-pprof</c> there).
/// </summary>
public sealed class InstalledTool
{
    private static readonly Lazy<InstalledTool> SharedTool = new(() => new InstalledTool(PackedPackage.Shared));

    private readonly PackedPackage _package;
    private readonly Dictionary<string, string> _environment;

    private InstalledTool(PackedPackage package)
    {
        _package = package;
        CommandLine.Dotnet(package.RepositoryRoot, new Dictionary<string, string>(),
            "pack", Path.Combine(package.RepositoryRoot, "src", "ProfilingKit.Tool", "ProfilingKit.Tool.csproj"), "-c", "Release", "-o", package.Feed, $"-p:Version={package.Version}");
        PackagePath = Path.Combine(package.Feed, $"ProfilingKit.Tool.{package.Version}.nupkg");
        Assert.True(File.Exists(PackagePath), $"dotnet pack should write {PackagePath}");

        ToolPath = Path.Combine(package.Root, "tools");
        CommandLine.Dotnet(package.Root, package.CommandEnvironment,
            "tool", "install", "ProfilingKit.Tool", "--tool-path", ToolPath, "--add-source", package.Feed, "--version", package.Version);
        _environment = new Dictionary<string, string>(package.CommandEnvironment)
        {
            ["PATH"] = ToolPath + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
    }

    public static InstalledTool Shared => SharedTool.Value;

    public string PackagePath { get; }

    /// <summary>The folder <c>dotnet tool install --tool-path</c> installed into.</summary>
    public string ToolPath { get; }

    /// <summary>Runs <c>dotnet pprof ARGS</c> in <paramref name="directory"/>; returns the exit code and output (stdout, then stderr).</summary>
    public (int ExitCode, string Output) Run(string directory, params string[] arguments) =>
        CommandLine.DotnetWithExitCode(directory, _environment, ["pprof", .. arguments]);

    /// <summary>A new empty folder for one test's files.</summary>
    public string NewFolder() => _package.NewFolder();
}
