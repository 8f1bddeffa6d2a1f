using System.Net;

namespace ProfilingKit.Http;

/// <summary>A request the endpoint answers with an error in Go's form (status, text, <c>X-Go-Pprof: 1</c>).</summary>
internal sealed class PprofRequestException : Exception
{
    public PprofRequestException(HttpStatusCode status, string message, params KeyValuePair<string, string>[] headers)
        : base(message)
    {
        Status = status;
        Headers = headers;
    }

    public HttpStatusCode Status { get; }

    /// <summary>Headers the error reply carries besides Go's, such as WWW-Authenticate on a 401.</summary>
    public KeyValuePair<string, string>[] Headers { get; }
}
