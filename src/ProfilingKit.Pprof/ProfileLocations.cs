using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>A profile's locations as frames (function, file, line), and the index of a sample type by name.</summary>
public sealed class ProfileLocations
{
    private readonly Dictionary<ulong, Frame> _frames = new();

    /// <summary>Indexes the locations of <paramref name="profile"/>.</summary>
    public ProfileLocations(Profile profile)
    {
        var functions = profile.Function.ToDictionary(function => function.Id);
        foreach (var location in profile.Location)
        {
            // Our profiles have one line per location (no inlining information in the trace).
            if (location.Line.Count == 0 || !functions.TryGetValue(location.Line[0].FunctionId, out var function)) continue;
            var file = profile.StringTable[(int)function.Filename];
            _frames[location.Id] = new Frame(profile.StringTable[(int)function.Name], file.Length == 0 ? null : file, location.Line[0].Line_);
        }
    }

    /// <summary>The frame of a location id; a frame named "?" for an id the profile does not define.</summary>
    public Frame this[ulong locationId] => _frames.TryGetValue(locationId, out var frame) ? frame : new Frame("?");

    /// <summary>The position of the sample type named <paramref name="type"/> (such as alloc_space) among a sample's values.</summary>
    public static int ValueIndex(Profile profile, string type)
    {
        for (var i = 0; i < profile.SampleType.Count; i++)
        {
            if (profile.StringTable[(int)profile.SampleType[i].Type] == type) return i;
        }

        throw new ArgumentException($"The profile has no sample type '{type}'.", nameof(type));
    }
}
