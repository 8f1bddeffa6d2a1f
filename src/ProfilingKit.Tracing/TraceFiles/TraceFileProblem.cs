namespace ProfilingKit.TraceFiles;

/// <summary>What is wrong with a trace file that gave no profile.</summary>
internal enum TraceFileProblem
{
    /// <summary>There is no file, or it cannot be opened.</summary>
    Missing,

    /// <summary>The file ends early: the process was stopped before EventPipe finished writing it.</summary>
    Truncated,

    /// <summary>The file is not a nettrace stream the reader understands.</summary>
    Corrupt,

    /// <summary>The trace holds none of the events the profile is made of.</summary>
    NoSamples,
}
