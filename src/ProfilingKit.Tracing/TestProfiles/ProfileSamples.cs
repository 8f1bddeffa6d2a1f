using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TestProfiles;

/// <summary>A profile's samples as the gates read them: each one's bytes with their sampling error, its leaf function, its functions, and its test.</summary>
internal sealed class ProfileSamples
{
    public ProfileSamples(Profile profile)
    {
        var objects = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocObjects);
        var space = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocSpace);
        var locations = new ProfileLocations(profile);
        var testOf = TestLabel.Reader(profile);
        Samples = profile.Sample.Select(sample =>
        {
            var functions = sample.LocationId.Select(id => locations[id].FunctionName).ToArray();
            return new ProfileSample(SampledBytes.Of(sample, objects, space), functions.Length == 0 ? "[no stack]" : functions[0], functions, testOf(sample));
        }).ToList();
        Total = Samples.Aggregate(default(SampledBytes), (sum, sample) => sum + sample.Bytes);
    }

    public IReadOnlyList<ProfileSample> Samples { get; }

    public SampledBytes Total { get; }

    /// <summary>The estimate by <paramref name="key"/> (leaf function, test…), samples whose key is null left out.</summary>
    public Dictionary<string, SampledBytes> By(Func<ProfileSample, string?> key)
    {
        var totals = new Dictionary<string, SampledBytes>(StringComparer.Ordinal);
        foreach (var sample in Samples)
        {
            if (key(sample) is not { } name) continue;
            totals[name] = totals.GetValueOrDefault(name) + sample.Bytes;
        }

        return totals;
    }
}

/// <summary>One sample: its bytes, its leaf function, every function on its stack (leaf first), and the test it ran in (null outside tests).</summary>
internal sealed record ProfileSample(SampledBytes Bytes, string Leaf, IReadOnlyList<string> Functions, string? Test);
