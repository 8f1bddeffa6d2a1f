using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// Flat and cum per source line of the functions a regular expression matches: what pprof's list
/// report annotates (its graph at line granularity: one node per function, file and line).
/// </summary>
public static class SourceLines
{
    /// <summary>The lines of the functions whose name matches <paramref name="functions"/>, with the values at <paramref name="valueIndex"/>.</summary>
    public static IReadOnlyList<SourceLine> Build(Profile profile, int valueIndex, Regex functions)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (functions is null) throw new ArgumentNullException(nameof(functions));

        var frames = new ProfileFrames(profile);
        var lines = new Dictionary<(string, string, long), SourceLine>();
        var seen = new HashSet<SourceLine>();
        foreach (var sample in profile.Sample)
        {
            var value = sample.Value[valueIndex];
            if (value == 0) continue;
            seen.Clear();
            var leaf = true;
            foreach (var frame in frames.Stack(sample))
            {
                if (functions.IsMatch(frame.Name))
                {
                    var key = (frame.Name, frame.File, frame.Line);
                    if (!lines.TryGetValue(key, out var line)) lines[key] = line = new SourceLine(frame.Name, frame.File, frame.Line);
                    if (leaf) line.Flat += value;
                    if (seen.Add(line)) line.Cum += value;
                }

                leaf = false;
            }
        }

        return lines.Values.Where(l => l.Flat != 0 || l.Cum != 0).ToList();
    }
}

/// <summary>One source line of one function, with its values.</summary>
public sealed class SourceLine
{
    internal SourceLine(string function, string file, long line)
    {
        Function = function;
        File = file;
        Line = line;
    }

    /// <summary>The function name.</summary>
    public string Function { get; }

    /// <summary>The source file, or "" when the profile has none.</summary>
    public string File { get; }

    /// <summary>The line number.</summary>
    public long Line { get; }

    /// <summary>The value of the samples whose leaf is this line.</summary>
    public long Flat { get; internal set; }

    /// <summary>The value of the samples with this line on their stack, each counted once.</summary>
    public long Cum { get; internal set; }
}
