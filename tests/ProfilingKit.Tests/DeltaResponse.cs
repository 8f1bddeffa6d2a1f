using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Tests;

/// <summary>A <c>seconds=N</c> delta of a memory profile, checked for what every such delta has in common.</summary>
internal static class DeltaResponse
{
    /// <summary>
    /// GETs <paramref name="url"/> and checks Go's form of a delta (200, attachment <c>NAME-delta</c>), a
    /// duration from the 1 s window to <paramref name="maxDuration"/>, and alloc_space kept as the default type.
    /// </summary>
    public static async Task<Profile> FetchAsync(HttpClient http, string url, string name, TimeSpan maxDuration)
    {
        using var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"attachment; filename=\"{name}-delta\"", response.Content.Headers.ContentDisposition?.ToString());
        var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
        Assert.InRange(profile.DurationNanos, 900_000_000, (long)maxDuration.TotalNanoseconds);
        Assert.Equal("alloc_space", profile.StringTable[(int)profile.DefaultSampleType]);
        return profile;
    }
}
