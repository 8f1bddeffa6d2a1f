namespace ProfilingKit.TestProfiles;

/// <summary>One row of the hot-spot summary: an allocation site and its estimated bytes and share of the run.</summary>
internal sealed record HotSpot(string Function, string File, long Line, long Bytes, double Share);
