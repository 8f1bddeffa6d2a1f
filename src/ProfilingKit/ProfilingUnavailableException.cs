namespace ProfilingKit;

/// <summary>A profiling session could not start, for example because the diagnostic port is disabled.</summary>
internal sealed class ProfilingUnavailableException : Exception
{
    public ProfilingUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
