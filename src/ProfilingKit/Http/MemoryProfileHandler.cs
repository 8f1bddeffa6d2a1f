using System.Net;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>
/// <c>allocs</c> and <c>heap</c>, which Go serves alike: the profile now (debug=0 gzip proto, debug=1
/// Go's legacy heap text), or with seconds=N a delta of the next N seconds.
/// </summary>
internal sealed class MemoryProfileHandler
{
    private readonly string _name;
    private readonly Collect _collect;
    private readonly DeltaProfiles.CollectDelta _collectDelta;
    private readonly DeltaProfiles _deltas;

    /// <param name="name">The profile's name, which is also the attachment's file name.</param>
    /// <param name="collect">The profile now, or null and the reason (a 503).</param>
    /// <param name="collectDelta">The delta of a window, or null and the reason.</param>
    /// <param name="deltas">Where seconds=N requests wait.</param>
    public MemoryProfileHandler(string name, Collect collect, DeltaProfiles.CollectDelta collectDelta, DeltaProfiles deltas)
    {
        _name = name;
        _collect = collect;
        _collectDelta = collectDelta;
        _deltas = deltas;
    }

    public delegate Profile? Collect(TimeSpan waitForStart, out string? error);

    public void Serve(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        // Go reads gc on heap only. It is only checked here: a heap snapshot is a full GC already.
        if (_name == "heap") PprofQuery.NonNegativeInt(request, "gc");

        if (PprofQuery.HasSeconds(request))
        {
            _deltas.Serve(_name, request, response, stopping, _collectDelta);
            return;
        }

        var debug = PprofQuery.Debug(request);
        var profile = _collect(PprofEndpoint.StartWait, out var unavailable)
            ?? throw PprofRequestException.CouldNotCollect(unavailable);

        if (debug == 0)
        {
            PprofResponses.Profile(response, _name, ProfileSerializer.ToGzipBytes(profile));
        }
        else
        {
            PprofResponses.Text(response, LegacyHeapText.Render(profile, ClrEvents.AllocationSamplingInterval), "text/plain; charset=utf-8");
        }
    }
}
