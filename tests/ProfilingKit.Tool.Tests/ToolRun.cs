namespace ProfilingKit.Tool.Tests;

/// <summary>One in-process run of the tool, with what it wrote to its two streams.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Status)
{
    public static ToolRun Of(params string[] arguments)
    {
        var output = new StringWriter();
        var status = new StringWriter();
        var exitCode = new Tool(output, status, interactive: false).Run(arguments);
        return new ToolRun(exitCode, output.ToString(), status.ToString());
    }

    /// <summary>The one line a failure prints, without the tool's name.</summary>
    public string Error => Assert.Single(Status.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("dotnet-pprof: ", StringComparison.Ordinal))["dotnet-pprof: ".Length..];
}
