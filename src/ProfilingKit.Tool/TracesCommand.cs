using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary><c>traces</c>: every sample's stack with its value and labels, as go tool pprof -traces.</summary>
internal static class TracesCommand
{
    private const string Separator = "-----------+-------------------------------------------------------";

    public static int Run(Tool tool, ToolOptions options)
    {
        var input = ReportInput.Prepare(tool, options, foldAsync: false);
        // pprof merges what it reads: samples with the same stack and labels print as one trace.
        var profile = ProfileMerge.Merge([input.Profile]);
        var format = ValueFormat.PerValue(input.SampleUnit);
        var total = input.Total;
        foreach (var line in ReportHeader.ProfileLines(profile, input.SampleType, input.SampleUnit, total, format.Format)) tool.Out.WriteLine(line);

        var frames = new ProfileFrames(profile);
        var labels = new SampleLabels(profile);
        foreach (var sample in profile.Sample)
        {
            var stack = frames.Stack(sample).ToList();
            if (stack.Count == 0) continue;

            tool.Out.WriteLine(Separator);
            foreach (var line in labels.Strings(sample).GroupBy(l => l.Key).Select(g => $"{g.Key,10}:  {string.Join(" ", g.Select(l => l.Value))}").OrderBy(l => l, StringComparer.Ordinal))
            {
                tool.Out.WriteLine(line);
            }

            foreach (var line in labels.Numbers(sample).GroupBy(l => l.Key)
                         .Select(g => $"{g.Key,10}:  {string.Join(" ", g.Select(l => Measurement.Label(l.Value, labels.UnitOf(g.Key))))}")
                         .OrderBy(l => l, StringComparer.Ordinal))
            {
                tool.Out.WriteLine(line);
            }

            for (var i = 0; i < stack.Count; i++)
            {
                var value = i == 0 ? format.Format(input.Value(sample)) : "";
                tool.Out.WriteLine($"{value,10}   {stack[i].Name}{(stack[i].Inline ? " (inline)" : "")}");
            }
        }

        tool.Out.WriteLine(Separator);
        return 0;
    }
}
