using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>
/// Serves <c>?seconds=N</c> on cumulative profiles as Go does (a delta named <c>&lt;name&gt;-delta</c>),
/// with the window cut to the endpoint's maximum and a bounded number of deltas waiting at once, so
/// that waiting deltas never hold every request thread.
/// </summary>
internal sealed class DeltaProfiles
{
    /// <summary>Deltas that may wait at the same time; the endpoint keeps threads free for everything else.</summary>
    public const int MaxConcurrent = 2;

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private readonly int _maxSeconds;

    public DeltaProfiles(int maxSeconds) => _maxSeconds = maxSeconds;

    /// <summary>The delta of a window once the profiler has started (waiting up to <paramref name="waitForStart"/>), or null and the reason.</summary>
    public delegate Profile? CollectDelta(TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error);

    /// <summary>
    /// Validates the request, then serves what <paramref name="collect"/> returns for the window:
    /// the delta, or null and a reason for a 503.
    /// </summary>
    public void Serve(
        string name,
        HttpListenerRequest request,
        HttpListenerResponse response,
        CancellationToken stopping,
        CollectDelta collect)
    {
        var window = PprofQuery.Window(request, PprofQuery.DefaultSeconds, _maxSeconds, out var note);
        if (PprofQuery.Debug(request) != 0)
        {
            throw new PprofRequestException(HttpStatusCode.BadRequest, "seconds and debug params are incompatible");
        }

        if (!_slots.Wait(0))
        {
            throw new PprofRequestException(
                HttpStatusCode.ServiceUnavailable,
                $"too many delta profiles in progress (at most {MaxConcurrent} at a time); try again when one has finished");
        }

        Profile? delta;
        string? error;
        try
        {
            delta = collect(PprofEndpoint.StartWait, window, stopping, out error);
        }
        finally
        {
            _slots.Release();
        }

        if (delta is null) throw PprofRequestException.CouldNotCollect(error);
        if (note is not null)
        {
            delta.Comment.Add(delta.StringTable.Count);
            delta.StringTable.Add(note);
        }

        PprofResponses.Profile(response, name + "-delta", ProfileSerializer.ToGzipBytes(delta));
    }
}
