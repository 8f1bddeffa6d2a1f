namespace ProfilingKit.Analyzers;

/// <summary>Why a summary, or one of its rows, was not used.</summary>
internal readonly struct SummaryProblem(string path, int line, string reason)
{
    public string Path { get; } = path;

    public int Line { get; } = line;

    public string Reason { get; } = reason;
}
