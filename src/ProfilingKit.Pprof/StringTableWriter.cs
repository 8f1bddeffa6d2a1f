using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Writes a profile's string table: "" at index 0, as pprof requires, and each string once, so
/// that every writer (the builder, merge) interns the same way.
/// </summary>
internal sealed class StringTableWriter
{
    private readonly Profile _profile;
    private readonly Dictionary<string, long> _indexes = new(StringComparer.Ordinal);

    /// <summary>Takes over the string table of <paramref name="profile"/>, which must be empty.</summary>
    public StringTableWriter(Profile profile)
    {
        _profile = profile;
        Intern(string.Empty);
    }

    /// <summary>The index of <paramref name="value"/>, adding it if new.</summary>
    public long Intern(string value)
    {
        if (_indexes.TryGetValue(value, out var index)) return index;

        index = _profile.StringTable.Count;
        _profile.StringTable.Add(value);
        _indexes.Add(value, index);
        return index;
    }
}
