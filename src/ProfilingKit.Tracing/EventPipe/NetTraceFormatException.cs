namespace ProfilingKit.EventPipe;

/// <summary>The stream is not a nettrace stream this reader understands, or it is cut short.</summary>
public sealed class NetTraceFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public NetTraceFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception, saying whether the stream merely ended too early.</summary>
    public NetTraceFormatException(string message, bool isTruncated)
        : base(message)
    {
        IsTruncated = isTruncated;
    }

    /// <summary>The stream ended before its end-of-stream tag: a trace whose writer was stopped mid-way.</summary>
    public bool IsTruncated { get; }
}
