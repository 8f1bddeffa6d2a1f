namespace ProfilingKit.Gc;

/// <summary>
/// One stop-the-world pause as the runtime's GCSuspendEE/GCRestartEE events bracket it, in
/// <see cref="DateTime.Ticks"/>; a phase whose event was not seen is 0.
/// </summary>
internal readonly record struct GcPause(long SuspendBegin, long SuspendEnd, long RestartBegin, long RestartEnd)
{
    /// <summary>Stopping the app's threads: GCSuspendEEBegin to GCSuspendEEEnd.</summary>
    public TimeSpan? Suspend => Between(SuspendBegin, SuspendEnd);

    /// <summary>The collector's work while the app stands still: GCSuspendEEEnd to GCRestartEEBegin.</summary>
    public TimeSpan? Work => Between(SuspendEnd, RestartBegin);

    /// <summary>Letting the app's threads run again: GCRestartEEBegin to GCRestartEEEnd.</summary>
    public TimeSpan? Resume => Between(RestartBegin, RestartEnd);

    /// <summary>The whole pause, GCSuspendEEBegin to GCRestartEEEnd.</summary>
    public TimeSpan? Total => Between(SuspendBegin, RestartEnd);

    private static TimeSpan? Between(long from, long to) => from == 0 || to == 0 || to < from ? null : TimeSpan.FromTicks(to - from);
}
