using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// Keeps only the samples with a frame whose function name matches a regular expression, as
/// <c>go tool pprof -focus</c> does at view time (the test profiles' DebugPprofFocus).
/// </summary>
public static class ProfileFocus
{
    /// <summary>Removes the samples of <paramref name="profile"/> with no frame matching <paramref name="focus"/>; returns how many it kept.</summary>
    public static int Apply(Profile profile, Regex focus)
    {
        var locations = new ProfileLocations(profile);
        var kept = profile.Sample.Where(sample => sample.LocationId.Any(id => focus.IsMatch(locations[id].FunctionName))).ToList();
        profile.Sample.Clear();
        profile.Sample.AddRange(kept);
        return kept.Count;
    }
}
