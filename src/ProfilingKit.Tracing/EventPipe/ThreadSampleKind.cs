namespace ProfilingKit.EventPipe;

/// <summary>What a SampleProfiler ThreadSample says the thread was doing (the runtime's own values).</summary>
internal enum ThreadSampleKind
{
    Error = 0,

    /// <summary>Preemptive mode: blocked, sleeping, or running native code; the runtime cannot tell which.</summary>
    External = 1,

    /// <summary>Cooperative mode: running managed code.</summary>
    Managed = 2,
}
