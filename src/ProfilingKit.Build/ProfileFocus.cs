using System.Text.RegularExpressions;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Build;

/// <summary>
/// DebugPprofFocus: keeps only the samples with a frame whose function name matches a regular
/// expression, as <c>go tool pprof -focus</c> does at view time, so the written profile and its
/// summary are about the code under test alone.
/// </summary>
internal static class ProfileFocus
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
