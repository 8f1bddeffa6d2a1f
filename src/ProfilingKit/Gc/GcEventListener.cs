using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.Gc;

/// <summary>
/// Listens in-process to the runtime's GC events (keyword GC at Informational) and writes one
/// <see cref="GcTraceLine"/> per collection.
/// </summary>
/// <remarks>
/// An EventListener rather than the EventPipe self-session: it needs no diagnostic port (so it
/// works with <c>DOTNET_EnableDiagnostics=0</c>), no reader thread of ours and no stacks, and it
/// runs whether or not the pprof endpoint does. Its cost is a few small event objects per GC on
/// the runtime's dispatch thread. Heap sizes before a GC are not in these events; they come from
/// <see cref="GC.GetGCMemoryInfo(GCKind)"/> when its last GC of the kind is still this one
/// (dispatch is asynchronous, so a busy app may have moved on: then <c>?</c>).
/// </remarks>
internal sealed class GcEventListener : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;

    // Null until our constructor runs: EventListener's constructor may already deliver events.
    private readonly GcTimeline? _timeline;
    private readonly Action<string> _write;
    private readonly long _processStartTicks = ProcessStartTicks();
    private readonly long[] _sizes = new long[5];
    private readonly long[] _promoted = new long[5];
    private int _failed;
    private long _dispatchThreadId;

    /// <summary>The OS id of the runtime thread that delivers the events, once one has arrived; else 0.</summary>
    public long DispatchThreadId => Volatile.Read(ref _dispatchThreadId);

    public GcEventListener(Action<string> write)
    {
        _write = write;
        _timeline = new GcTimeline(Emit);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider) EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (Volatile.Read(ref _failed) != 0 || e.EventSource.Name != RuntimeProvider) return;

        try
        {
            var timeline = _timeline;
            if (timeline is null) return;
            if (_dispatchThreadId == 0) Volatile.Write(ref _dispatchThreadId, ProfilerThreads.CurrentOsThreadId());
            lock (timeline) Dispatch(timeline, e);
        }
        catch (Exception exception)
        {
            // A bug here must cost the app its GC trace, never more.
            if (Interlocked.Exchange(ref _failed, 1) == 0)
            {
                ProfilingKitLog.Error($"the GC trace stopped: {exception.GetType().Name}: {exception.Message}");
            }
        }
    }

    private void Dispatch(GcTimeline timeline, EventWrittenEventArgs e)
    {
        var ticks = e.TimeStamp.Ticks;
        switch (e.EventId)
        {
            case 9: // GCSuspendEEBegin
                timeline.SuspendBegin(ticks, (int)Number(e, "Reason"));
                break;
            case 8: // GCSuspendEEEnd
                timeline.SuspendEnd(ticks);
                break;
            case 1: // GCStart
                timeline.Start(ticks, (int)Number(e, "Count"), (int)Number(e, "Depth"), (int)Number(e, "Reason"), (int)Number(e, "Type"));
                break;
            case 205: // GCGlobalHeapHistory
                timeline.GlobalHeapHistory(Number(e, "FinalYoungestDesired"), (int)Number(e, "NumHeaps"), (int)Number(e, "CondemnedGeneration"));
                break;
            case 2: // GCEnd
                timeline.End(ticks, (int)Number(e, "Count"));
                break;
            case 4: // GCHeapStats
                for (var generation = 0; generation < 5; generation++)
                {
                    _sizes[generation] = Number(e, GenerationSizeNames[generation]);
                    _promoted[generation] = Number(e, PromotedSizeNames[generation]);
                }

                timeline.HeapStats(_sizes, _promoted);
                break;
            case 7: // GCRestartEEBegin
                timeline.RestartBegin(ticks);
                break;
            case 3: // GCRestartEEEnd
                timeline.RestartEnd(ticks);
                break;
        }
    }

    private void Emit(GcRecord gc)
    {
        var now = DateTime.UtcNow.Ticks;
        var lastSeen = gc.Pauses.Count > 0 ? Math.Max(gc.EndTicks, gc.Pauses[^1].RestartEnd) : gc.EndTicks;
        var uptime = TimeSpan.FromTicks(Math.Max(0, lastSeen - _processStartTicks));

        // Both measured now, so the share is consistent even though the line is printed a little late.
        var sinceStart = now - _processStartTicks;
        double? pausePercent = sinceStart > 0 ? 100.0 * GC.GetTotalPauseDuration().Ticks / sinceStart : null;

        _write(GcTraceLine.Format(gc, uptime, pausePercent, HeapBefore(gc)));
    }

    private static long? HeapBefore(GcRecord gc)
    {
        var kind = gc.Kind == GcKind.Background ? GCKind.Background
            : gc.Generation >= 2 ? GCKind.FullBlocking
            : GCKind.Ephemeral;
        var info = GC.GetGCMemoryInfo(kind);
        if (info.Index != gc.Number) return null;

        long before = 0;
        foreach (var generation in info.GenerationInfo) before += generation.SizeBeforeBytes;

        // Seen for the first background GC of a process: the entry exists but was never filled in.
        return before > 0 ? before : null;
    }

    private static long Number(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        if (index < 0 || e.Payload is not { } payload || index >= payload.Count) return 0;

        return payload[index] switch
        {
            uint value => value,
            ulong value => (long)value,
            ushort value => value,
            int value => value,
            long value => value,
            _ => 0,
        };
    }

    private static long ProcessStartTicks()
    {
        using var process = Process.GetCurrentProcess();
        return process.StartTime.ToUniversalTime().Ticks;
    }

    private static readonly ReadOnlyCollection<string> GenerationSizeNames = new(
        ["GenerationSize0", "GenerationSize1", "GenerationSize2", "GenerationSize3", "GenerationSize4"]);

    private static readonly ReadOnlyCollection<string> PromotedSizeNames = new(
        ["TotalPromotedSize0", "TotalPromotedSize1", "TotalPromotedSize2", "TotalPromotedSize3", "TotalPromotedSize4"]);
}
