namespace ProfilingKit.Http;

/// <summary>One path under /debug/pprof/: its name, its row on the index (live count, Go-style description) and its handler.</summary>
internal sealed record PprofRoute(string Name, string Description, Func<long> Count, PprofHandler Handle)
{
    public static long NoCount() => 0;
}
