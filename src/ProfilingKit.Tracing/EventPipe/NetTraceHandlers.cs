namespace ProfilingKit.EventPipe;

/// <summary>Hands every event of one session to several handlers in turn, so one always-on session serves several profiles.</summary>
internal sealed class NetTraceHandlers : INetTraceHandler
{
    private readonly INetTraceHandler[] _handlers;

    public NetTraceHandlers(params INetTraceHandler[] handlers) => _handlers = handlers;

    public void OnEvent(in TraceEventRecord record)
    {
        foreach (var handler in _handlers)
        {
            handler.OnEvent(record);
        }
    }

    public void OnFlushed(long timestamp)
    {
        foreach (var handler in _handlers)
        {
            handler.OnFlushed(timestamp);
        }
    }

    public void OnLost(long count, long from, long to)
    {
        foreach (var handler in _handlers)
        {
            handler.OnLost(count, from, to);
        }
    }
}
