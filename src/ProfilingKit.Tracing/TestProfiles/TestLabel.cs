using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TestProfiles;

/// <summary>The <c>test</c> label a test profile's samples carry: the test each ran in (set by the generated per-test hooks).</summary>
internal static class TestLabel
{
    public const string Key = "test";

    /// <summary>Reads a sample's test from <paramref name="profile"/>'s string table; null for a sample outside tests.</summary>
    public static Func<Sample, string?> Reader(Profile profile)
    {
        var key = profile.StringTable.IndexOf(Key);
        if (key < 0) return _ => null;

        return sample =>
        {
            foreach (var label in sample.Label)
            {
                if (label.Key == key && label.Str != 0) return profile.StringTable[(int)label.Str];
            }

            return null;
        };
    }
}
