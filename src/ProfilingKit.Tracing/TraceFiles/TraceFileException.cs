namespace ProfilingKit.TraceFiles;

/// <summary>A trace file that gave no profile, with what is wrong with it and a sentence for a person to read.</summary>
internal sealed class TraceFileException : Exception
{
    public TraceFileException(TraceFileProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public TraceFileProblem Problem { get; }
}
