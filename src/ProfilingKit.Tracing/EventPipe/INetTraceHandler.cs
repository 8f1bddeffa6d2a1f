namespace ProfilingKit.EventPipe;

/// <summary>Receives the events a <see cref="NetTraceReader"/> decodes, on the reading thread.</summary>
internal interface INetTraceHandler
{
    /// <summary>Called for every event, in stream order (not time order).</summary>
    void OnEvent(in TraceEventRecord record);

    /// <summary>
    /// Called when the stream says every event before <paramref name="timestamp"/> has been handed out
    /// (a sorted event, before that event; a sequence point): what comes later is later in time.
    /// </summary>
    void OnFlushed(long timestamp)
    {
    }

    /// <summary>
    /// Called when the runtime dropped <paramref name="count"/> events of one thread (its session buffer
    /// was full), written between <paramref name="from"/> and <paramref name="to"/>.
    /// </summary>
    void OnLost(long count, long from, long to)
    {
    }
}
