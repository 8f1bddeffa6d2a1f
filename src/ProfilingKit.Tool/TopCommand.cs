using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary><c>top</c>: go tool pprof's -top table, header lines, columns and units as Go prints them.</summary>
internal static class TopCommand
{
    public static int Run(Tool tool, ToolOptions options)
    {
        var input = ReportInput.Prepare(tool, options, foldAsync: true);
        var graph = input.Graph(withCalls: false);
        var table = TopTable.Select(graph, options.Cumulative, options.NodeCount);
        var format = ValueFormat.ForRows(input.SampleUnit, table.Rows, table.Total);

        var lines = ReportHeader.ProfileLines(input.Profile, input.SampleType, input.SampleUnit, table.Total, format.Format);
        lines.AddRange(ReportHeader.ActiveFilters(options));
        lines.AddRange(TableLines(table, format));
        foreach (var line in lines) tool.Out.WriteLine(line);
        return 0;
    }

    /// <summary>The "Showing…"/"Dropped…" lines, the column header and one line per row.</summary>
    public static IEnumerable<string> TableLines(TopTable table, ValueFormat format)
    {
        yield return $"Showing nodes accounting for {format.Format(table.ShownFlat)}, {Measurement.Percentage(table.ShownFlat, table.Total).Trim()} of {format.Format(table.Total)} total";
        if (table.Total != 0)
        {
            if (table.DroppedNodes > 0)
            {
                yield return $"Dropped {table.DroppedNodes} {(table.DroppedNodes > 1 ? "nodes" : "node")} (cum <= {format.Format(table.DropCutoff)})";
            }

            if (table.Rows.Count > 0 && table.Rows.Count < table.NodesBeforeCount)
            {
                yield return $"Showing top {table.Rows.Count} nodes out of {table.NodesBeforeCount}";
            }
        }

        yield return $"{"flat",10} {"flat",5}% {"sum",5}% {"cum",10} {"cum",5}%";
        long flatSum = 0;
        foreach (var row in table.Rows)
        {
            flatSum += row.Flat;
            var inline = row.InlineLabel.Length > 0 ? " " + row.InlineLabel : "";
            yield return $"{format.Format(row.Flat),10} {Measurement.Percentage(row.Flat, table.Total)} {Measurement.Percentage(flatSum, table.Total)} "
                + $"{format.Format(row.Cum),10} {Measurement.Percentage(row.Cum, table.Total)}  {row.Name}{inline}";
        }
    }
}
