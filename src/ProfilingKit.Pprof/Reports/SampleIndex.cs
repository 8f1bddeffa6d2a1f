using System.Globalization;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>Which of a sample's values a report shows, by pprof's rules (google/pprof profile.SampleIndexByName).</summary>
public static class SampleIndex
{
    /// <summary>
    /// The index of the sample type <paramref name="name"/>: a type name, a number, or <c>inuse_X</c>
    /// for a type <c>X</c>; without a name, the profile's default_sample_type, else the last type.
    /// </summary>
    /// <exception cref="ArgumentException">The name is no sample type of the profile; the message lists those there are, as pprof's does.</exception>
    public static int Resolve(Profile profile, string? name)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (profile.SampleType.Count == 0) throw new ArgumentException("profile has no samples", nameof(profile));

        var types = TypeNames(profile);
        if (string.IsNullOrEmpty(name))
        {
            var defaultType = ProfileFrames.StringAt(profile, profile.DefaultSampleType);
            var index = defaultType.Length > 0 ? types.IndexOf(defaultType) : -1;
            return index >= 0 ? index : types.Count - 1;
        }

        if (int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 0 && number < types.Count
                ? number
                : throw new ArgumentException($"sample_index {name} is outside the range [0..{types.Count - 1}]", nameof(name));
        }

        var withoutInuse = name!.StartsWith("inuse_", StringComparison.Ordinal) ? name.Substring("inuse_".Length) : name;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] == name || types[i] == withoutInuse) return i;
        }

        throw new ArgumentException($"sample_index \"{name}\" must be one of: [{string.Join(" ", types)}]", nameof(name));
    }

    /// <summary>The sample type names, in order (such as alloc_objects, alloc_space…).</summary>
    public static List<string> TypeNames(Profile profile)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        return profile.SampleType.Select(t => ProfileFrames.StringAt(profile, t.Type)).ToList();
    }

    /// <summary>The unit of sample type <paramref name="index"/>, such as bytes or nanoseconds.</summary>
    public static string Unit(Profile profile, int index)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        return ProfileFrames.StringAt(profile, profile.SampleType[index].Unit);
    }
}
