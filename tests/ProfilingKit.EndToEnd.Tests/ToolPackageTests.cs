namespace ProfilingKit.EndToEnd.Tests;

/// <summary>The dotnet pprof tool from its packed package, installed as a user installs it.</summary>
public class ToolPackageTests
{
    private readonly InstalledTool _tool = InstalledTool.Shared;

    [Fact]
    public void The_package_installs_a_dotnet_pprof_command()
    {
        var (exitCode, output) = _tool.Run(_tool.NewFolder(), "-help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Usage: dotnet pprof", output);
        Assert.True(File.Exists(Path.Combine(_tool.ToolPath, "dotnet-pprof")), "the tool path holds the dotnet-pprof command");
    }
}
