using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>Multiplies sample values, one factor per sample type, as pprof's <c>ScaleN</c> does.</summary>
public static class ProfileScale
{
    /// <summary>
    /// A copy of <paramref name="profile"/> whose sample values are multiplied by the factor of their
    /// sample type and rounded to the nearest integer; samples whose values all become zero are left out.
    /// </summary>
    /// <exception cref="ArgumentException">There is not one factor per sample type.</exception>
    public static Profile Scaled(Profile profile, IReadOnlyList<double> factors)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (factors is null) throw new ArgumentNullException(nameof(factors));
        if (factors.Count != profile.SampleType.Count)
        {
            throw new ArgumentException($"Expected {profile.SampleType.Count} factors, one per sample type; got {factors.Count}.", nameof(factors));
        }

        var copy = profile.Clone();
        for (var s = copy.Sample.Count - 1; s >= 0; s--)
        {
            var values = copy.Sample[s].Value;
            var anyLeft = false;
            for (var i = 0; i < values.Count && i < factors.Count; i++)
            {
                values[i] = (long)Math.Round(values[i] * factors[i]);
                anyLeft |= values[i] != 0;
            }

            if (!anyLeft) copy.Sample.RemoveAt(s);
        }

        return copy;
    }
}
