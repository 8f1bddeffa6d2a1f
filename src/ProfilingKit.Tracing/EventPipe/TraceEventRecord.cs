namespace ProfilingKit.EventPipe;

/// <summary>
/// One event as the reader hands it out: valid only during the callback, since the payload and the
/// stack point into the reader's buffers.
/// </summary>
internal readonly ref struct TraceEventRecord
{
    public TraceEventRecord(EventMetadata metadata, int pointerSize, long threadId, long timestamp, ReadOnlySpan<ulong> stack, ReadOnlySpan<byte> payload, Guid activityId = default)
    {
        ActivityId = activityId;
        PointerSize = pointerSize;
        Metadata = metadata;
        ThreadId = threadId;
        Timestamp = timestamp;
        Stack = stack;
        Payload = payload;
    }

    public EventMetadata Metadata { get; }

    /// <summary>The pointer size of the traced process.</summary>
    public int PointerSize { get; }

    /// <summary>The OS id of the thread the event describes.</summary>
    public long ThreadId { get; }

    /// <summary>The QPC timestamp.</summary>
    public long Timestamp { get; }

    /// <summary>Instruction pointers, leaf first; empty when the event has no stack.</summary>
    public ReadOnlySpan<ulong> Stack { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>
    /// The activity id of the thread that wrote the event, empty when it had none. The runtime writes
    /// its own thread's id on the events a thread raises itself (allocations, contention), not on the
    /// sampler's ThreadSample events, which another thread writes.
    /// </summary>
    public Guid ActivityId { get; }
}
