using System.Globalization;

namespace ProfilingKit.Tool;

/// <summary><c>dotnet pprof ps</c>: the .NET processes collect and serve can attach to, as <c>dotnet-trace ps</c> lists them.</summary>
internal static class PsCommand
{
    public static int Run(Tool tool, ToolOptions options)
    {
        if (options.Sources.Count > 0) throw new ToolException("ps takes no arguments");

        foreach (var (id, name) in AttachTarget.Published())
        {
            var commandLine = string.Join(' ', ReadCommandLine(id));
            tool.Out.WriteLine($"{id.ToString(CultureInfo.InvariantCulture),10}  {name,-20}  {commandLine}");
        }

        return 0;
    }

    private static string[] ReadCommandLine(int id)
    {
        try
        {
            return File.ReadAllText($"/proc/{id.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
