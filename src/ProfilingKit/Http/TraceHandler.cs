using System.Net;

namespace ProfilingKit.Http;

/// <summary>
/// <c>trace?seconds=N</c>: a raw <c>.nettrace</c> of the next N seconds (default 1, as Go's trace),
/// streamed as the runtime writes it, for PerfView, <c>dotnet-trace convert</c> or TraceEvent. It
/// takes the process's one CPU/trace session slot, as Go's trace and CPU profile are one at a time.
/// </summary>
internal sealed class TraceHandler
{
    /// <summary>Go's wording (pprof.go Trace: "Could not enable tracing: ") when the slot is taken.</summary>
    public const string BusyMessage = "Could not enable tracing: a CPU profile, wall profile or trace is already running";

    private readonly RuntimeProfiler _profiler;
    private readonly int _maxSeconds;

    public TraceHandler(RuntimeProfiler profiler, int maxSeconds)
    {
        _profiler = profiler;
        _maxSeconds = maxSeconds;
    }

    public void Serve(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        var window = PprofQuery.TraceWindow(request, _maxSeconds);
        if (!_profiler.TryTakeExclusiveSession()) throw new PprofRequestException(HttpStatusCode.InternalServerError, BusyMessage);

        try
        {
            _profiler.WriteTrace(window, stopping, () =>
            {
                response.Headers["Content-Disposition"] = "attachment; filename=\"trace.nettrace\"";
                response.Headers["X-Content-Type-Options"] = "nosniff";
                response.ContentType = "application/octet-stream";
                response.SendChunked = true; // the length is known only at the end of the rundown
                return response.OutputStream;
            });
        }
        catch (ProfilingUnavailableException e)
        {
            throw new PprofRequestException(HttpStatusCode.ServiceUnavailable, "Could not enable tracing: " + e.Message);
        }
        finally
        {
            _profiler.ReleaseExclusiveSession();
        }
    }
}
