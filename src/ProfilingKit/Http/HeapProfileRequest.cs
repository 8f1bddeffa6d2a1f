using System.Net;

namespace ProfilingKit.Http;

/// <summary>
/// <c>/debug/pprof/heap</c>: live objects now, from a heap snapshot, plus the sampled allocations.
/// Kept out of <see cref="PprofEndpoint"/>'s routing so the route is one line there.
/// </summary>
internal static class HeapProfileRequest
{
    public static readonly PprofProfileInfo Info = new(
        "heap",
        0,
        "A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC before taking the heap sample. " +
        "(ProfilingKit: every request takes a heap snapshot, which is itself a blocking full GC, so gc=1 changes nothing.)");

    public static void Serve(HttpListenerRequest request, HttpListenerResponse response, RuntimeProfiler profiler)
    {
        // gc is read only to reject malformed values as Go's handler does: the snapshot is a full GC already.
        if (!PprofEndpoint.TryReadNonNegativeInt(request, "debug", out var debug, out var error)
            || !PprofEndpoint.TryReadNonNegativeInt(request, "gc", out _, out error)
            || !PprofEndpoint.TryRejectSeconds(request, out error))
        {
            PprofResponses.Error(response, HttpStatusCode.BadRequest, error!);
            return;
        }

        var profile = profiler.TryGetHeapProfile(PprofEndpoint.StartWait, out var unavailable);
        MemoryProfileResponse.Write(response, "heap", debug, profile, unavailable);
    }
}
