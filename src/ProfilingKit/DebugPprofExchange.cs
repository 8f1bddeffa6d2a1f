namespace ProfilingKit;

/// <summary>
/// One request to the profiles, as a host of the app's own hands it to <see cref="DebugPprofHandler"/>:
/// the request's parts in, and a place for the response to go. The generated <c>MapDebugPprof()</c>
/// implements it over ASP.NET Core's <c>HttpContext</c>; any other server can implement it too.
/// </summary>
public abstract class DebugPprofExchange
{
    /// <summary>The request's method: GET, HEAD, POST, ...</summary>
    public abstract string Method { get; }

    /// <summary>Where the profiles are mounted, such as <c>/debug/pprof</c> or <c>/admin/debug/pprof</c> (no trailing slash).</summary>
    public abstract string PathBase { get; }

    /// <summary>The path below <see cref="PathBase"/>: empty for the mount itself, <c>/</c> for the index, <c>/allocs</c> for a profile.</summary>
    public abstract string Path { get; }

    /// <summary>The query as sent, without its '?', still escaped; empty when there is none.</summary>
    public abstract string Query { get; }

    /// <summary>Cancelled when the client goes away or the server stops.</summary>
    public abstract CancellationToken Aborted { get; }

    /// <summary>The request's body, or null when it has none.</summary>
    public abstract Stream? RequestBody { get; }

    /// <summary>The value of the request header <paramref name="name"/>, or null.</summary>
    public abstract string? GetHeader(string name);

    /// <summary>Sets the response's status and headers; called once, before anything is written to <see cref="ResponseBody"/>.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="contentType">The Content-Type, or null for a response without a body.</param>
    /// <param name="contentLength">The body's length, or null when it is streamed and its length is not known.</param>
    /// <param name="headers">The other headers (Content-Disposition, X-Go-Pprof, Location, ...).</param>
    public abstract void StartResponse(int statusCode, string? contentType, long? contentLength, IReadOnlyList<KeyValuePair<string, string>> headers);

    /// <summary>Where the response's body goes; written asynchronously, after <see cref="StartResponse"/>.</summary>
    public abstract Stream ResponseBody { get; }
}
