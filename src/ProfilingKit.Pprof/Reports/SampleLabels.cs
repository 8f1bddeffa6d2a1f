using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// A profile's sample labels as pprof reads them: string labels by key, numeric labels by key, and
/// one unit per numeric key (its num_unit; without one, <c>bytes</c> for alignment and request,
/// else the key itself, as google/pprof's NumLabelUnits infers).
/// </summary>
public sealed class SampleLabels
{
    private readonly Profile _profile;
    private readonly Dictionary<string, string> _units = new(StringComparer.Ordinal);

    /// <summary>Reads the labels of <paramref name="profile"/>'s samples.</summary>
    public SampleLabels(Profile profile)
    {
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        var numericKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in profile.Sample)
        {
            foreach (var label in sample.Label)
            {
                if (label.Str != 0) continue;
                var key = ProfileFrames.StringAt(profile, label.Key);
                numericKeys.Add(key);
                var unit = ProfileFrames.StringAt(profile, label.NumUnit);
                if (unit.Length > 0 && !_units.ContainsKey(key)) _units[key] = unit;
            }
        }

        foreach (var key in numericKeys.Where(k => !_units.ContainsKey(k)).ToList())
        {
            _units[key] = key is "alignment" or "request" ? "bytes" : key;
        }
    }

    /// <summary>The unit of numeric label <paramref name="key"/>.</summary>
    public string UnitOf(string key) => _units.TryGetValue(key, out var unit) ? unit : key;

    /// <summary>The string labels of <paramref name="sample"/>, key then value, in the sample's order.</summary>
    public IEnumerable<(string Key, string Value)> Strings(Sample sample)
    {
        if (sample is null) throw new ArgumentNullException(nameof(sample));
        foreach (var label in sample.Label)
        {
            if (label.Str != 0) yield return (ProfileFrames.StringAt(_profile, label.Key), ProfileFrames.StringAt(_profile, label.Str));
        }
    }

    /// <summary>The numeric labels of <paramref name="sample"/>, key then value, in the sample's order.</summary>
    public IEnumerable<(string Key, long Value)> Numbers(Sample sample)
    {
        if (sample is null) throw new ArgumentNullException(nameof(sample));
        foreach (var label in sample.Label)
        {
            // pprof's decoder drops a label with neither a string nor a number nor a unit.
            if (label.Str == 0 && (label.Num != 0 || label.NumUnit != 0)) yield return (ProfileFrames.StringAt(_profile, label.Key), label.Num);
        }
    }
}
