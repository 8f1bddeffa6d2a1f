using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>Writes an allocs or heap profile as Go does: gzip proto for debug=0, the legacy heap text otherwise.</summary>
internal static class MemoryProfileResponse
{
    /// <param name="response">The response to write.</param>
    /// <param name="name">The profile's name, which is also the attachment's file name.</param>
    /// <param name="debug">Go's debug parameter: 0 for the proto, anything else for text.</param>
    /// <param name="profile">The profile, or null when it could not be collected.</param>
    /// <param name="unavailable">Why it could not be collected.</param>
    public static void Write(HttpListenerResponse response, string name, int debug, Profile? profile, string? unavailable)
    {
        if (profile is null)
        {
            PprofResponses.Error(response, HttpStatusCode.ServiceUnavailable, "Could not collect profile: " + unavailable);
        }
        else if (debug == 0)
        {
            PprofResponses.Profile(response, name, ProfileSerializer.ToGzipBytes(profile));
        }
        else
        {
            PprofResponses.Text(response, LegacyHeapText.Render(profile, EventPipe.ClrEvents.AllocationSamplingInterval), "text/plain; charset=utf-8");
        }
    }
}
