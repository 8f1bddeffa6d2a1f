using System.Net;
using ProfilingKit.Contention;
using ProfilingKit.Pprof;

namespace ProfilingKit.Http;

/// <summary>
/// <c>block</c> (every lock contention the runtime reports) and <c>mutex</c> (contention on managed
/// locks), both by the waiter's stack since start; debug=1 Go's legacy contention text;
/// <c>seconds=N</c> a delta, as Go's.
/// </summary>
internal sealed class ContentionHandler
{
    private readonly RuntimeProfiler _profiler;
    private readonly DeltaProfiles _deltas;

    public ContentionHandler(RuntimeProfiler profiler, DeltaProfiles deltas)
    {
        _profiler = profiler;
        _deltas = deltas;
    }

    public void ServeBlock(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping) =>
        Serve("block", mutex: false, request, response, stopping);

    public void ServeMutex(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping) =>
        Serve("mutex", mutex: true, request, response, stopping);

    private void Serve(string name, bool mutex, HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        if (PprofQuery.HasSeconds(request))
        {
            _deltas.Serve(name, request, response, stopping, (TimeSpan waitForStart, TimeSpan window, CancellationToken cancel, out string? error) =>
                _profiler.TryGetContentionDelta(mutex, waitForStart, window, cancel, out error));
            return;
        }

        var debug = PprofQuery.Debug(request);
        var sites = _profiler.TryGetContentions(mutex, PprofEndpoint.StartWait, out var unavailable)
            ?? throw PprofRequestException.CouldNotCollect(unavailable);

        if (debug == 0)
        {
            PprofResponses.Profile(response, name, ProfileSerializer.ToGzipBytes(_profiler.BuildContentionProfile(sites, mutex)));
            return;
        }

        _profiler.PrepareNames(sites.Select(site => site.Stack));
        var text = ContentionText.Render(mutex ? "mutex" : "contention", sites, _profiler.Locate, mutex ? ContentionProfile.MutexComment : ContentionProfile.BlockComment);
        PprofResponses.Text(response, text, "text/plain; charset=utf-8");
    }
}
