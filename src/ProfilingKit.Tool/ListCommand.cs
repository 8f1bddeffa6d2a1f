using ProfilingKit.Pprof.Reports;

namespace ProfilingKit.Tool;

/// <summary>
/// <c>list REGEX</c>: the matching functions' source with flat and cum per line, as go tool pprof
/// -list: five lines of context around the lines with samples, files found as given or, when
/// relative, under the current folder or one of its parents; a missing file is said in Go's words.
/// </summary>
internal static class ListCommand
{
    private const int Margin = 5;

    public static int Run(Tool tool, ToolOptions options)
    {
        var symbol = PeekCommand.CommandRegex(options);
        var input = ReportInput.Prepare(tool, options, foldAsync: false);
        var lines = SourceLines.Build(input.Profile, input.ValueIndex, symbol);
        if (lines.Count == 0) throw new ToolException($"no matches found for regexp: {options.CommandArgument}");

        var format = ValueFormat.PerValue(input.SampleUnit);
        string OrDot(long value) => value == 0 ? "." : format.Format(value);
        var total = input.Total;
        var output = tool.Out;
        output.WriteLine($"Total: {format.Format(total)}");
        foreach (var function in lines.GroupBy(l => l.Function).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var files = function.Where(l => l.File.Length > 0).GroupBy(l => l.File).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                output.WriteLine($"No source information for {function.Key}");
                continue;
            }

            foreach (var file in files)
            {
                output.WriteLine($"ROUTINE ======================== {function.Key} in {file.Key}");
                output.WriteLine($"{format.Format(file.Sum(l => l.Flat)),10} {format.Format(file.Sum(l => l.Cum)),10} (flat, cum) {Measurement.Percentage(file.Sum(l => l.Cum), total)} of Total");
                var (source, error) = ReadSource(file.Key);
                if (source is null)
                {
                    output.WriteLine($" Error: {error}");
                    continue;
                }

                var byLine = file.ToDictionary(l => l.Line);
                var start = Math.Max(1, file.Min(l => l.Line) - Margin);
                var end = file.Max(l => l.Line) + Margin;
                for (var number = start; number <= end && number <= source.Length; number++)
                {
                    byLine.TryGetValue(number, out var line);
                    output.WriteLine($"{OrDot(line?.Flat ?? 0),10} {OrDot(line?.Cum ?? 0),10} {number,6}:{source[number - 1]}");
                }
            }
        }

        return 0;
    }

    /// <summary>The file's lines, or Go's error text when it cannot be found.</summary>
    private static (string[]? Lines, string Error) ReadSource(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? (File.ReadAllLines(path), "") : (null, $"open {path}: no such file or directory");
        }

        var searchPath = Directory.GetCurrentDirectory();
        for (var directory = searchPath; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var candidate = Path.Combine(directory, path);
            if (File.Exists(candidate)) return (File.ReadAllLines(candidate), "");
        }

        return (null, $"could not find file {path} on path {searchPath}");
    }
}
