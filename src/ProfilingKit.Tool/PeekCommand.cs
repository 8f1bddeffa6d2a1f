using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary><c>peek REGEX</c>: each matching function with its callers above and callees below, as go tool pprof -peek.</summary>
internal static class PeekCommand
{
    private const string Separator = "----------------------------------------------------------+-------------";
    private const string Legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";

    public static int Run(Tool tool, ToolOptions options)
    {
        var symbol = CommandRegex(options);
        var input = ReportInput.Prepare(tool, options, foldAsync: false);
        var graph = input.Graph(withCalls: true);

        // peek never trims: every function, sorted as top sorts.
        var table = TopTable.Select(graph, options.Cumulative, nodeCount: null, nodeFraction: 0);
        var format = ValueFormat.ForRows(input.SampleUnit, table.Rows, table.Total);
        var output = new List<string>(ReportHeader.ProfileLines(input.Profile, input.SampleType, input.SampleUnit, table.Total, format.Format));
        output.AddRange(ReportHeader.ActiveFilters(options));
        output.Add(TopCommand.TableLines(table, format).First());
        output.Add(Separator);
        output.Add(Legend);

        long flatSum = 0;
        var matched = 0;
        foreach (var node in table.Rows)
        {
            if (!symbol.IsMatch(node.Name)) continue;
            matched++;
            output.Add(Separator);
            foreach (var caller in node.Callers)
            {
                output.Add($"{format.Format(caller.Weight),50} {Measurement.Percentage(caller.Weight, node.Cum)} |   {caller.Caller.Name}{(caller.Inline ? " (inline)" : "")}");
            }

            flatSum += node.Flat;
            output.Add($"{format.Format(node.Flat),10} {Measurement.Percentage(node.Flat, table.Total)} {Measurement.Percentage(flatSum, table.Total)} "
                + $"{format.Format(node.Cum),10} {Measurement.Percentage(node.Cum, table.Total)}                | {node.Name}");
            foreach (var callee in node.Callees)
            {
                output.Add($"{format.Format(callee.Weight),50} {Measurement.Percentage(callee.Weight, node.Cum)} |   {callee.Callee.Name}{(callee.Inline ? " (inline)" : "")}");
            }
        }

        if (matched == 0) throw new ToolException($"no matches found for regexp: {options.CommandArgument}");
        if (table.Rows.Count > 0) output.Add(Separator);
        foreach (var line in output) tool.Out.WriteLine(line);
        return 0;
    }

    /// <summary>The REGEX argument of peek and list.</summary>
    public static Regex CommandRegex(ToolOptions options)
    {
        try
        {
            return new Regex(options.CommandArgument ?? "", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"{options.Command}: \"{options.CommandArgument}\" is not a regular expression: {e.Message}");
        }
    }
}
