namespace ProfilingKit.Http;

/// <summary>One row of the index: a profile's name, its current count and Go-style description.</summary>
internal sealed record PprofProfileInfo(string Name, long Count, string Description);
