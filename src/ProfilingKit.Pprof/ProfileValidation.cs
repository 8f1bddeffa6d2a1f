using System.Globalization;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// The checks google/pprof makes of a profile before it shows one: those of its decoder (every
/// string index inside the string table, whose first entry is empty; every referenced id defined)
/// and those of <c>Profile.CheckValid</c> (values match the sample types, ids are non-zero and
/// unique, lines refer to existing functions). A profile passes exactly when pprof opens it, as far
/// as the tests against the real pprof go: what pprof tolerates (an unknown mapping id, a label
/// without a key) is not refused here either.
/// </summary>
public static class ProfileValidation
{
    /// <summary>Throws when <paramref name="profile"/> breaks one of pprof's rules.</summary>
    /// <exception cref="InvalidDataException">The profile is invalid; the message says the first rule it breaks.</exception>
    public static void CheckValid(Profile profile)
    {
        var problems = Problems(profile);
        if (problems.Count > 0) throw new InvalidDataException("The data is not a valid pprof profile: " + problems[0]);
    }

    /// <summary>Every rule <paramref name="profile"/> breaks, in pprof's words where it has them; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        var problems = new List<string>();
        var strings = profile.StringTable.Count;
        if (strings == 0 || profile.StringTable[0].Length != 0) problems.Add("string_table[0] must be \"\"");

        void String(long index, string what)
        {
            if (index < 0 || index >= strings) problems.Add(string.Format(CultureInfo.InvariantCulture, "{0}: string index {1} is outside the string table ({2} entries)", what, index, strings));
        }

        foreach (var type in profile.SampleType)
        {
            String(type.Type, "sample_type.type");
            String(type.Unit, "sample_type.unit");
        }

        if (profile.PeriodType is { } periodType)
        {
            String(periodType.Type, "period_type.type");
            String(periodType.Unit, "period_type.unit");
        }

        String(profile.DropFrames, "drop_frames");
        String(profile.KeepFrames, "keep_frames");
        String(profile.DefaultSampleType, "default_sample_type");
        String(profile.DocUrl, "doc_url");
        foreach (var comment in profile.Comment) String(comment, "comment");

        // A location's mapping id that no mapping has is no error to pprof: it reads as no mapping.
        UniqueIds(profile.Mapping.Select(m => m.Id), "mapping", problems);
        foreach (var mapping in profile.Mapping)
        {
            String(mapping.Filename, "mapping.filename");
            String(mapping.BuildId, "mapping.build_id");
        }

        var functions = UniqueIds(profile.Function.Select(f => f.Id), "function", problems);
        foreach (var function in profile.Function)
        {
            String(function.Name, "function.name");
            String(function.SystemName, "function.system_name");
            String(function.Filename, "function.filename");
        }

        var locations = UniqueIds(profile.Location.Select(l => l.Id), "location", problems);
        foreach (var location in profile.Location)
        {
            foreach (var line in location.Line)
            {
                if (line.FunctionId == 0 || !functions.Contains(line.FunctionId))
                {
                    problems.Add(string.Format(CultureInfo.InvariantCulture, "location id: {0} has a line with function {1}, which the profile does not define", location.Id, line.FunctionId));
                }
            }
        }

        if (profile.SampleType.Count == 0 && profile.Sample.Count != 0) problems.Add("missing sample type information");
        foreach (var sample in profile.Sample)
        {
            if (sample.Value.Count != profile.SampleType.Count)
            {
                problems.Add(string.Format(CultureInfo.InvariantCulture, "mismatch: sample has {0} values vs. {1} types", sample.Value.Count, profile.SampleType.Count));
            }

            foreach (var id in sample.LocationId)
            {
                if (!locations.Contains(id)) problems.Add(string.Format(CultureInfo.InvariantCulture, "sample refers to location {0}, which the profile does not define", id));
            }

            foreach (var label in sample.Label)
            {
                String(label.Key, "label.key");
                String(label.Str, "label.str");
                String(label.NumUnit, "label.num_unit");
            }
        }

        return problems;
    }

    /// <summary>The ids of one table, with pprof's complaints about reserved and repeated ones.</summary>
    private static HashSet<ulong> UniqueIds(IEnumerable<ulong> ids, string table, List<string> problems)
    {
        var seen = new HashSet<ulong>();
        foreach (var id in ids)
        {
            if (id == 0) problems.Add(string.Format(CultureInfo.InvariantCulture, "found {0} with reserved ID=0", table));
            else if (!seen.Add(id)) problems.Add(string.Format(CultureInfo.InvariantCulture, "multiple {0}s with same id: {1}", table, id));
        }

        return seen;
    }
}
