using System.Text;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary><c>tags</c>: per label key, the total and each value's share, as go tool pprof -tags (its right-aligned tab columns included).</summary>
internal static class TagsCommand
{
    public static int Run(Tool tool, ToolOptions options)
    {
        var input = ReportInput.Prepare(tool, options, foldAsync: false);
        var summary = TagSummary.Build(input.Profile, input.ValueIndex);
        var format = ValueFormat.PerValue(input.SampleUnit);
        var output = new StringBuilder();
        foreach (var key in summary)
        {
            var (total, totalUnit) = Measurement.Scale(key.Total, format.SampleUnit, format.OutputUnit);
            var rows = key.Values.Select(v =>
            {
                var (value, unit) = Measurement.Scale(v.Value, format.SampleUnit, format.OutputUnit);
                var share = key.Total > 0 ? $" ({Measurement.Percentage(v.Value, key.Total)})" : "";
                return (Cell: Measurement.FixedPoint(value, 1) + unit + share + ":", v.Name);
            }).ToList();

            // Go's tabwriter, AlignRight with padding 1: the key and the value cells right-aligned in their columns.
            var keyWidth = Math.Max(key.Key.Length + ":".Length, 1) + 1;
            var valueWidth = rows.Count == 0 ? 0 : rows.Max(r => r.Cell.Length) + 1;
            output.Append((key.Key + ":").PadLeft(keyWidth)).Append(" Total ").Append(Measurement.FixedPoint(total, 1)).Append(totalUnit).Append('\n');
            foreach (var (cell, name) in rows)
            {
                output.Append(" ".PadLeft(keyWidth)).Append(cell.PadLeft(valueWidth)).Append(' ').Append(name).Append('\n');
            }

            output.Append('\n');
        }

        tool.Out.Write(output.ToString());
        return 0;
    }
}
