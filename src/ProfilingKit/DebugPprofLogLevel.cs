namespace ProfilingKit;

/// <summary>How much a line ProfilingKit logs matters (<see cref="DebugPprof.SetLogger"/>).</summary>
public enum DebugPprofLogLevel
{
    /// <summary>Where the profiles are, and similar news.</summary>
    Information,

    /// <summary>Something the app runs on without, such as a profile that leaves something out.</summary>
    Warning,

    /// <summary>Something that does not work, such as a busy port or a disabled diagnostic port.</summary>
    Error,
}
