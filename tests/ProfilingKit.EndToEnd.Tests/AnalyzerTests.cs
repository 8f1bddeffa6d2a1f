namespace ProfilingKit.EndToEnd.Tests;

/// <summary>The analyzers warn in a user's dotnet build, from the package, and on the repository's sample.</summary>
public class AnalyzerTests : IClassFixture<FreshApps>
{
    private readonly FreshApps _apps;

    public AnalyzerTests(FreshApps apps) => _apps = apps;

    [Fact]
    public void Dotnet_build_of_a_fresh_app_shows_PK1001_on_string_concatenation_in_a_loop()
    {
        Assert.Contains($"Program.cs({FreshApps.ConcatenationLine},", _apps.EnabledBuildOutput);
        Assert.Matches($@"Program\.cs\({FreshApps.ConcatenationLine},\d+\): warning PK1001: ", _apps.EnabledBuildOutput);
    }

    [Fact]
    public void The_sample_shows_PK1001_on_MemoryIntensiveFunc()
    {
        var project = Path.Combine(_apps.Package.RepositoryRoot, "samples", "MemoryEater");
        var source = File.ReadAllLines(Path.Combine(project, "Program.cs"));
        var line = Array.FindIndex(source, l => l.Contains("s += i.ToString();", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, "the sample's MemoryIntensiveFunc concatenates in a loop");

        // A configuration of its own: the sample references src/ by ProjectReference, and a Debug rebuild here
        // rewrote src/*/obj/Debug while `dotnet test ProfilingKit.sln` was still compiling other test projects
        // against it (CS0006: ProfilingKit.Tracing's ref assembly not found; and Release is the pack's).
        var output = CommandLine.Dotnet(project, new Dictionary<string, string>(), "build", "--no-incremental", "-c", "SampleCheck", "-o", Path.Combine(_apps.Package.Root, "sample-build"));

        Assert.Matches($@"Program\.cs\({line},\d+\): warning PK1001: ", output);
    }
}
