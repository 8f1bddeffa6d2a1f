using System.Net;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Http;

/// <summary><c>allocs</c>: every sampled allocation since start (debug=0 proto, debug=1 Go's legacy text), or a delta with seconds=N.</summary>
internal sealed class AllocsHandler
{
    private readonly RuntimeProfiler _profiler;
    private readonly DeltaProfiles _deltas;

    public AllocsHandler(RuntimeProfiler profiler, DeltaProfiles deltas)
    {
        _profiler = profiler;
        _deltas = deltas;
    }

    public void Serve(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        if (PprofQuery.HasSeconds(request))
        {
            _deltas.Serve("allocs", request, response, stopping, (window, cancel) =>
            {
                var delta = _profiler.TryGetAllocationDelta(PprofEndpoint.StartWait, window, cancel, out var error);
                return (delta, error);
            });
            return;
        }

        var debug = PprofQuery.Debug(request);
        var profile = _profiler.TryGetAllocationProfile(PprofEndpoint.StartWait, out var unavailable)
            ?? throw PprofRequestException.CouldNotCollect(unavailable);

        if (debug == 0)
        {
            PprofResponses.Profile(response, "allocs", ProfileSerializer.ToGzipBytes(profile));
        }
        else
        {
            PprofResponses.Text(response, LegacyHeapText.Render(profile, ClrEvents.AllocationSamplingInterval), "text/plain; charset=utf-8");
        }
    }
}
