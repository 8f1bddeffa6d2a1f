using System.Net;

namespace ProfilingKit.Http;

/// <summary>A request the endpoint answers with an error in Go's form (status, text, <c>X-Go-Pprof: 1</c>).</summary>
internal sealed class PprofRequestException : Exception
{
    public PprofRequestException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The 503 of a profile whose data cannot be collected (sampling never started), with the reason.</summary>
    public static PprofRequestException CouldNotCollect(string? reason) =>
        new(HttpStatusCode.ServiceUnavailable, "Could not collect profile: " + reason);
}
