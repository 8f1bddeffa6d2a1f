using System.Text;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Merges profiles of the same sample types into one, as pprof's <c>Merge</c> does: equal functions,
/// locations and mappings become one, and samples with the same stack and labels add their values.
/// </summary>
/// <remarks>
/// Profiles from different builders number their strings, functions and locations differently, so
/// everything is matched by content (names, files, lines, addresses), never by id. Header fields
/// follow pprof: the earliest time, the summed duration, the largest period, every distinct comment,
/// and the first profile's default sample type.
/// </remarks>
public static class ProfileMerge
{
    /// <summary>Merges <paramref name="profiles"/> into a new profile; the inputs are not changed.</summary>
    /// <exception cref="ArgumentException">There are no profiles, or their sample types differ.</exception>
    public static Profile Merge(IReadOnlyList<Profile> profiles)
    {
        if (profiles is null) throw new ArgumentNullException(nameof(profiles));
        if (profiles.Count == 0) throw new ArgumentException("Nothing to merge.", nameof(profiles));

        var first = profiles[0];
        var types = SampleTypeNames(first);
        foreach (var profile in profiles)
        {
            if (!SampleTypeNames(profile).SequenceEqual(types))
            {
                throw new ArgumentException(
                    $"Profiles with different sample types cannot be merged: [{string.Join(" ", types)}] and [{string.Join(" ", SampleTypeNames(profile))}].",
                    nameof(profiles));
            }
        }

        var merged = new MergedProfile();
        merged.CopyHeader(first);
        foreach (var profile in profiles)
        {
            merged.Add(profile);
        }

        return merged.Result;
    }

    /// <summary>The sample types of <paramref name="profile"/>, written <c>type/unit</c>.</summary>
    public static IReadOnlyList<string> SampleTypeNames(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        return profile.SampleType.Select(t => StringAt(profile, t.Type) + "/" + StringAt(profile, t.Unit)).ToList();
    }

    private static string StringAt(Profile profile, long index) =>
        index >= 0 && index < profile.StringTable.Count ? profile.StringTable[(int)index] : string.Empty;

    /// <summary>The profile being built, with content-keyed tables of what it already holds.</summary>
    private sealed class MergedProfile
    {
        private readonly StringTableWriter _strings;
        private readonly Dictionary<string, ulong> _mappings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ulong> _functions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ulong> _locations = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Sample> _samples = new(StringComparer.Ordinal);
        private readonly HashSet<string> _comments = new(StringComparer.Ordinal);

        public MergedProfile()
        {
            _strings = new StringTableWriter(Result);
        }

        public Profile Result { get; } = new();

        public void CopyHeader(Profile first)
        {
            foreach (var type in first.SampleType)
            {
                Result.SampleType.Add(CopyValueType(first, type));
            }

            if (first.PeriodType is not null) Result.PeriodType = CopyValueType(first, first.PeriodType);
            Result.DefaultSampleType = Intern(StringAt(first, first.DefaultSampleType));
            Result.DropFrames = Intern(StringAt(first, first.DropFrames));
            Result.KeepFrames = Intern(StringAt(first, first.KeepFrames));
            Result.DocUrl = Intern(StringAt(first, first.DocUrl));
        }

        public void Add(Profile profile)
        {
            if (profile.TimeNanos != 0 && (Result.TimeNanos == 0 || profile.TimeNanos < Result.TimeNanos)) Result.TimeNanos = profile.TimeNanos;
            Result.DurationNanos += profile.DurationNanos;
            Result.Period = Math.Max(Result.Period, profile.Period);
            foreach (var comment in profile.Comment)
            {
                var text = StringAt(profile, comment);
                if (_comments.Add(text)) Result.Comment.Add(Intern(text));
            }

            var mappingIds = profile.Mapping.ToDictionary(m => m.Id, m => MappingFor(profile, m));
            var functionIds = profile.Function.ToDictionary(f => f.Id, f => FunctionFor(profile, f));
            var locationIds = profile.Location.ToDictionary(l => l.Id, l => LocationFor(l, mappingIds, functionIds));
            foreach (var sample in profile.Sample)
            {
                AddSample(profile, sample, locationIds);
            }
        }

        private void AddSample(Profile profile, Sample sample, Dictionary<ulong, ulong> locationIds)
        {
            var copy = new Sample();
            foreach (var id in sample.LocationId)
            {
                copy.LocationId.Add(locationIds[id]);
            }

            foreach (var label in sample.Label)
            {
                copy.Label.Add(new Label
                {
                    Key = Intern(StringAt(profile, label.Key)),
                    Str = Intern(StringAt(profile, label.Str)),
                    Num = label.Num,
                    NumUnit = Intern(StringAt(profile, label.NumUnit)),
                });
            }

            var key = new StringBuilder();
            foreach (var id in copy.LocationId) key.Append(id).Append(',');
            key.Append('|');
            foreach (var label in copy.Label.OrderBy(l => l.Key).ThenBy(l => l.Str).ThenBy(l => l.Num))
            {
                key.Append(label.Key).Append(':').Append(label.Str).Append(':').Append(label.Num).Append(':').Append(label.NumUnit).Append(';');
            }

            if (_samples.TryGetValue(key.ToString(), out var existing))
            {
                for (var i = 0; i < existing.Value.Count && i < sample.Value.Count; i++) existing.Value[i] += sample.Value[i];
                return;
            }

            copy.Value.Add(sample.Value);
            _samples.Add(key.ToString(), copy);
            Result.Sample.Add(copy);
        }

        private ulong MappingFor(Profile profile, Mapping mapping)
        {
            var copy = new Mapping
            {
                MemoryStart = mapping.MemoryStart,
                MemoryLimit = mapping.MemoryLimit,
                FileOffset = mapping.FileOffset,
                Filename = Intern(StringAt(profile, mapping.Filename)),
                BuildId = Intern(StringAt(profile, mapping.BuildId)),
                HasFunctions = mapping.HasFunctions,
                HasFilenames = mapping.HasFilenames,
                HasLineNumbers = mapping.HasLineNumbers,
                HasInlineFrames = mapping.HasInlineFrames,
            };
            // One binary is one mapping, wherever its range lies: each profile's range covers the
            // addresses it holds, and the merged one covers both (a delta's two halves, two runs).
            var key = string.Join("\0", copy.FileOffset, copy.Filename, copy.BuildId);
            if (_mappings.TryGetValue(key, out var id))
            {
                var merged = Result.Mapping[(int)id - 1];
                if (copy.MemoryLimit > copy.MemoryStart)
                {
                    if (merged.MemoryLimit <= merged.MemoryStart || copy.MemoryStart < merged.MemoryStart) merged.MemoryStart = copy.MemoryStart;
                    merged.MemoryLimit = Math.Max(merged.MemoryLimit, copy.MemoryLimit);
                }

                merged.HasInlineFrames |= copy.HasInlineFrames;
                return id;
            }

            copy.Id = (ulong)Result.Mapping.Count + 1;
            Result.Mapping.Add(copy);
            _mappings.Add(key, copy.Id);
            return copy.Id;
        }

        private ulong FunctionFor(Profile profile, Function function)
        {
            var copy = new Function
            {
                Name = Intern(StringAt(profile, function.Name)),
                SystemName = Intern(StringAt(profile, function.SystemName)),
                Filename = Intern(StringAt(profile, function.Filename)),
                StartLine = function.StartLine,
            };
            var key = string.Join("\0", copy.Name, copy.SystemName, copy.Filename, copy.StartLine);
            if (_functions.TryGetValue(key, out var id)) return id;

            copy.Id = (ulong)Result.Function.Count + 1;
            Result.Function.Add(copy);
            _functions.Add(key, copy.Id);
            return copy.Id;
        }

        private ulong LocationFor(Location location, Dictionary<ulong, ulong> mappingIds, Dictionary<ulong, ulong> functionIds)
        {
            var copy = new Location
            {
                MappingId = mappingIds.TryGetValue(location.MappingId, out var mappingId) ? mappingId : 0,
                Address = location.Address,
                IsFolded = location.IsFolded,
            };
            var key = new StringBuilder().Append(copy.MappingId).Append(':').Append(copy.Address).Append(':').Append(copy.IsFolded).Append('|');
            foreach (var line in location.Line)
            {
                var lineCopy = new Line { FunctionId = functionIds[line.FunctionId], Line_ = line.Line_, Column = line.Column };
                copy.Line.Add(lineCopy);
                key.Append(lineCopy.FunctionId).Append(':').Append(lineCopy.Line_).Append(':').Append(lineCopy.Column).Append(';');
            }

            if (_locations.TryGetValue(key.ToString(), out var id)) return id;

            copy.Id = (ulong)Result.Location.Count + 1;
            Result.Location.Add(copy);
            _locations.Add(key.ToString(), copy.Id);
            return copy.Id;
        }

        private Proto.ValueType CopyValueType(Profile profile, Proto.ValueType type) =>
            new() { Type = Intern(StringAt(profile, type.Type)), Unit = Intern(StringAt(profile, type.Unit)) };

        private long Intern(string value) => _strings.Intern(value);

    }
}
