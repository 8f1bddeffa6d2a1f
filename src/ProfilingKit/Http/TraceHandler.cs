using System.Net;
using ProfilingKit.EventPipe;
using ProfilingKit.Profiles;

namespace ProfilingKit.Http;

/// <summary>
/// <c>trace?seconds=N</c>: a raw <c>.nettrace</c> of the next N seconds (default 1, as Go's trace),
/// streamed as the runtime writes it, for PerfView, <c>dotnet-trace convert</c> or TraceEvent. One
/// trace at a time, as Go's: it takes the process's trace slot, given back when the reply is
/// disposed, whether its body was sent or not.
/// </summary>
internal sealed class TraceHandler
{
    /// <summary>Go's wording (pprof.go Trace: "Could not enable tracing: ") when the slot is taken.</summary>
    public const string BusyMessage = "Could not enable tracing: another trace is already running";

    public const string Description =
        "A raw .nettrace of the runtime's events (CPU samples, GC, contention, loader, JIT). You can specify the duration in the seconds GET parameter. Open it with dotnet-trace convert, or PerfView on Windows.";

    private readonly RuntimeSessions _sessions;
    private readonly int _maxSeconds;

    public TraceHandler(RuntimeSessions sessions, int maxSeconds)
    {
        _sessions = sessions;
        _maxSeconds = maxSeconds;
    }

    public PprofReply Serve(PprofRequest request, CancellationToken cancel)
    {
        var window = request.Query.TraceWindow(_maxSeconds);
        var slot = _sessions.TryTakeTraceSlot() ?? throw new PprofRequestException(HttpStatusCode.InternalServerError, BusyMessage);
        TraceRecording recording;
        try
        {
            recording = TraceRecording.Start(_sessions);
        }
        catch (ProfilingUnavailableException e)
        {
            slot.Dispose();
            throw new PprofRequestException(HttpStatusCode.ServiceUnavailable, "Could not enable tracing: " + e.Message);
        }

        return PprofReply.StreamedAttachment("trace.nettrace", output => recording.CopyTo(output, window, cancel), new Both(recording, slot));
    }

    /// <summary>The recording stopped first, then the slot given back.</summary>
    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
