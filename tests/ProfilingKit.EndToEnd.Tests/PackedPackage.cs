namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// Packs ProfilingKit from this repository with a version of its own into a temporary folder feed,
/// and gives fresh projects an isolated NuGet cache, so nothing stale or local leaks in.
/// </summary>
public sealed class PackedPackage
{
    private static readonly Lazy<PackedPackage> SharedPackage = new(() =>
    {
        var package = new PackedPackage();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => package.Delete();
        return package;
    });

    private PackedPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        Root = Directory.CreateTempSubdirectory("profilingkit-e2e-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Version = $"0.1.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        CommandEnvironment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Root, "packages") };

        CommandLine.Dotnet(RepositoryRoot, new Dictionary<string, string>(),
            "pack", Path.Combine(RepositoryRoot, "nuget", "ProfilingKit.Package.csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}");
        PackagePath = Path.Combine(Feed, $"ProfilingKit.{Version}.nupkg");
        Assert.True(File.Exists(PackagePath), $"dotnet pack should write {PackagePath}");
    }

    /// <summary>
    /// The package, packed once per test run and shared by the fixtures: a Release pack of the whole
    /// repository takes about a minute here. Each fixture's projects live in folders of their own.
    /// Deleted when the test process exits.
    /// </summary>
    public static PackedPackage Shared => SharedPackage.Value;

    public string RepositoryRoot { get; }

    /// <summary>The temporary folder holding the feed, the NuGet cache and the fresh projects.</summary>
    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public string PackagePath { get; }

    /// <summary>Environment for every command of a fresh project: the isolated NuGet cache.</summary>
    public IReadOnlyDictionary<string, string> CommandEnvironment { get; }

    /// <summary>Creates a console app with <c>dotnet new</c> that references the package through a nuget.config naming the feed.</summary>
    public string CreateConsoleApp(string name, string programSource, string extraProperties) =>
        CreateApp("console", name, programSource, extraProperties);

    /// <summary>
    /// Creates an app from the <c>dotnet new</c> <paramref name="template"/> (console, web, worker) that
    /// references the package, with <paramref name="programSource"/> as its Program.cs (null: the template's own).
    /// </summary>
    public string CreateApp(string template, string name, string? programSource, string extraProperties)
    {
        var directory = Path.Combine(NewFolder(), name);
        CommandLine.Dotnet(Root, CommandEnvironment, "new", template, "-n", name, "-o", directory);
        WriteNuGetConfig(directory);
        CommandLine.Dotnet(directory, CommandEnvironment, "add", "package", "ProfilingKit", "--version", Version);

        var project = Path.Combine(directory, name + ".csproj");
        var text = File.ReadAllText(project);
        File.WriteAllText(project, text.Replace("</PropertyGroup>", extraProperties + "\n  </PropertyGroup>", StringComparison.Ordinal));
        if (programSource is not null) File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);
        return directory;
    }

    /// <summary>
    /// Creates a project from its files (relative path to text; the project file names the package with
    /// <see cref="Version"/>) beside a nuget.config naming the feed. For projects no template makes,
    /// such as test projects of a given framework and runner.
    /// </summary>
    public string CreateProject(string name, IReadOnlyDictionary<string, string> files)
    {
        var directory = Directory.CreateDirectory(Path.Combine(NewFolder(), name)).FullName;
        WriteNuGetConfig(directory);
        foreach (var (path, text) in files) File.WriteAllText(Path.Combine(directory, path), text);
        return directory;
    }

    private void Delete()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder must not fail the run.
        }
    }

    /// <summary>A new folder under <see cref="Root"/>, so fixtures sharing the package never share a project folder.</summary>
    public string NewFolder() => Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N").Substring(0, 8))).FullName;

    private void WriteNuGetConfig(string directory) =>
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="profilingkit-e2e" value="{Feed}" />
              </packageSources>
            </configuration>
            """);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProfilingKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("Could not find ProfilingKit.sln above " + AppContext.BaseDirectory);
    }
}
