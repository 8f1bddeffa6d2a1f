namespace ProfilingKit.Analyzers;

/// <summary>One row of a hot-spot summary: a source line of user code and what the measured run allocated there.</summary>
internal sealed class MeasuredHotSpot(string function, string file, int line, long bytes, double share)
{
    /// <summary>The function as the profile names it (<c>Namespace.Type.Method</c>).</summary>
    public string Function { get; } = function;

    /// <summary>The source file, an absolute path on the machine that ran the tests.</summary>
    public string File { get; } = file;

    /// <summary>One-based line number.</summary>
    public int Line { get; } = line;

    /// <summary>Estimated bytes allocated at this line (alloc_space) during the run.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>The line's part of everything the run allocated, 0 to 1.</summary>
    public double Share { get; } = share;
}
