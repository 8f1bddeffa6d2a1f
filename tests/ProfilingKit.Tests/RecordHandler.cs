using ProfilingKit.EventPipe;

namespace ProfilingKit.Tests;

/// <summary>A <see cref="NetTraceReader"/> handler that runs a lambda per event, for tests that read traces.</summary>
internal sealed class RecordHandler : INetTraceHandler
{
    private readonly RecordAction _action;

    public RecordHandler(RecordAction action) => _action = action;

    public delegate void RecordAction(in TraceEventRecord record);

    public void OnEvent(in TraceEventRecord record) => _action(record);
}
