using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Threads;

namespace ProfilingKit.Http;

/// <summary>
/// <c>threadcreate</c>: the stacks that started the managed threads alive now, as Go's
/// <c>threadcreate/count</c> profile; debug=1 Go's count text; <c>seconds=N</c> a delta.
/// </summary>
internal sealed class ThreadCreateHandler
{
    private readonly RuntimeProfiler _profiler;
    private readonly DeltaProfiles _deltas;

    public ThreadCreateHandler(RuntimeProfiler profiler, DeltaProfiles deltas)
    {
        _profiler = profiler;
        _deltas = deltas;
    }

    public void Serve(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        if (PprofQuery.HasSeconds(request))
        {
            _deltas.Serve(ThreadCreateProfile.Type, request, response, stopping, _profiler.TryGetThreadCreationDelta);
            return;
        }

        var debug = PprofQuery.Debug(request);
        var creations = _profiler.TryGetThreadCreations(PprofEndpoint.StartWait, out var unavailable)
            ?? throw PprofRequestException.CouldNotCollect(unavailable);

        if (debug == 0)
        {
            var profile = _profiler.BuildThreadCreateProfile(creations);
            PprofResponses.Profile(response, ThreadCreateProfile.Type, ProfileSerializer.ToGzipBytes(profile));
            return;
        }

        _profiler.PrepareNames(creations.Stacks.Select(entry => entry.Stack));
        var text = CountProfileText.Render(ThreadCreateProfile.Type, creations.Stacks, _profiler.Locate, new[] { ThreadCreateProfile.Comment }, creations.WithoutStack());
        PprofResponses.Text(response, text, "text/plain; charset=utf-8");
    }
}
