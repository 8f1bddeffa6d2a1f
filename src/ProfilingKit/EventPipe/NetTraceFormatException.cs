namespace ProfilingKit.EventPipe;

/// <summary>The stream is not a nettrace stream this reader understands, or it is cut short.</summary>
public sealed class NetTraceFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public NetTraceFormatException(string message)
        : base(message)
    {
    }
}
