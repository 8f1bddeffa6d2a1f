namespace ProfilingKit;

/// <summary>A profile cannot be had now: a session could not start (the diagnostic port is disabled, say) or sampling is not running; the message says why.</summary>
internal sealed class ProfilingUnavailableException : Exception
{
    public ProfilingUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
