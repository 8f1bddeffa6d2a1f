using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof;

/// <summary>
/// The difference of two snapshots of a cumulative profile (allocs, block, mutex, threadcreate,
/// goroutine): what <c>?seconds=N</c> serves in Go's net/http/pprof.
/// </summary>
/// <remarks>
/// Go computes a delta as <c>Merge(p0.Scale(-1), p1)</c>, which also subtracts the values that are
/// not cumulative: the inuse_* values of a heap profile become a meaningless difference
/// (golang/go#67942, golang/go#57765). Here only cumulative sample types are subtracted; the others
/// keep their value at the end of the window, as grafana/pyroscope-go does with ScaleN(-1,-1,0,0).
/// </remarks>
public static class ProfileDelta
{
    /// <summary>Sample types that describe the present rather than a running total, and so are never subtracted.</summary>
    public static IReadOnlyCollection<string> PointInTimeSampleTypes { get; } = new[] { "inuse_objects", "inuse_space" };

    /// <summary>
    /// <paramref name="end"/> minus <paramref name="start"/> for the cumulative sample types, with the
    /// other types as they are in <paramref name="end"/>. Samples that are zero in every value are left
    /// out. The result is timed at <paramref name="end"/> and lasts from start to end.
    /// </summary>
    /// <param name="start">The snapshot at the start of the window.</param>
    /// <param name="end">The snapshot at the end of the window.</param>
    /// <param name="isCumulative">Says which sample types (by type name) to subtract; by default all but <see cref="PointInTimeSampleTypes"/>.</param>
    public static Profile Compute(Profile start, Profile end, Func<string, bool>? isCumulative = null)
    {
        if (start is null) throw new ArgumentNullException(nameof(start));
        if (end is null) throw new ArgumentNullException(nameof(end));

        isCumulative ??= type => !PointInTimeSampleTypes.Contains(type);
        var factors = start.SampleType
            .Select(t => isCumulative(start.StringTable[(int)t.Type]) ? -1.0 : 0.0)
            .ToList();

        var delta = ProfileMerge.Merge(new[] { ProfileScale.Scaled(start, factors), end });
        for (var s = delta.Sample.Count - 1; s >= 0; s--)
        {
            if (delta.Sample[s].Value.All(value => value == 0)) delta.Sample.RemoveAt(s);
        }

        delta.TimeNanos = end.TimeNanos;
        delta.DurationNanos = start.TimeNanos != 0 && end.TimeNanos > start.TimeNanos ? end.TimeNanos - start.TimeNanos : end.DurationNanos;
        return delta;
    }
}
