namespace ProfilingKit.EventPipe;

/// <summary>Receives the events a <see cref="NetTraceReader"/> decodes, on the reading thread.</summary>
internal interface INetTraceHandler
{
    /// <summary>Called for every event, in stream order (not time order).</summary>
    void OnEvent(in TraceEventRecord record);
}
