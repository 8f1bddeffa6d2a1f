using System.Globalization;
using System.Text;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>
/// The debug=1 text of a memory profile in the layout of Go's legacy heap format: a header with the
/// totals, then one entry per stack with its functions, largest allocation first.
/// </summary>
internal static class LegacyHeapText
{
    public static string Render(Profile profile, long samplingInterval)
    {
        string Str(long index) => profile.StringTable[(int)index];
        var functions = profile.Function.ToDictionary(f => f.Id, f => Str(f.Name));
        var locations = profile.Location.ToDictionary(l => l.Id, l => l.Line.Select(line => functions[line.FunctionId]).ToArray());

        // Samples that differ only by labels (object type) are one stack here, as in Go's format.
        var stacks = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var sample in profile.Sample)
        {
            var key = string.Join("\n", sample.LocationId.SelectMany(id => locations[id]));
            if (!stacks.TryGetValue(key, out var values)) stacks[key] = values = new long[4];
            for (var i = 0; i < 4 && i < sample.Value.Count; i++) values[i] += sample.Value[i];
        }

        var totals = new long[4];
        foreach (var values in stacks.Values)
        {
            for (var i = 0; i < 4; i++) totals[i] += values[i];
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"heap profile: {totals[2]}: {totals[3]} [{totals[0]}: {totals[1]}] @ heap/{2 * samplingInterval}\n");
        // Go orders by in-use bytes; allocation-only profiles (all zero there) fall back to allocated bytes.
        foreach (var (stack, values) in stacks.OrderByDescending(s => s.Value[3]).ThenByDescending(s => s.Value[1]))
        {
            text.Append(CultureInfo.InvariantCulture, $"{values[2]}: {values[3]} [{values[0]}: {values[1]}] @\n");
            foreach (var function in stack.Split('\n'))
            {
                text.Append("#\t").Append(function).Append('\n');
            }

            text.Append('\n');
        }

        foreach (var comment in profile.Comment)
        {
            text.Append("# ").Append(Str(comment)).Append('\n');
        }

        return text.ToString();
    }
}
