namespace ProfilingKit.Http;

/// <summary>
/// A request to the endpoint as the dispatcher sees it, whatever server received it: the method,
/// the path, the query, the headers the endpoint reads, and the body (only <c>symbol</c> reads one).
/// </summary>
internal sealed class PprofRequest
{
    private readonly Func<string, string?> _header;
    private PprofQuery? _query;

    /// <param name="method">GET, POST, ...</param>
    /// <param name="pathBase">
    /// Where the host mounted the profiles (ASP.NET Core's <c>MapDebugPprof</c> prefix), with
    /// <paramref name="path"/> below it; empty when <paramref name="path"/> is the whole URL path, which
    /// must then start with /debug/pprof as in Go.
    /// </param>
    /// <param name="path">The URL's path, such as <c>/debug/pprof/allocs</c>, or the part below <paramref name="pathBase"/> (<c>/allocs</c>).</param>
    /// <param name="rawQuery">The URL's query without its '?', still escaped; empty when there is none.</param>
    /// <param name="header">A header's value by name, or null when the request has none.</param>
    /// <param name="body">The request's body, or null when it has none.</param>
    /// <param name="aborted">Cancelled when the client goes away or the server stops, where the server can tell.</param>
    public PprofRequest(string method, string pathBase, string path, string rawQuery, Func<string, string?> header, Stream? body, CancellationToken aborted = default)
    {
        PathBase = pathBase;
        Aborted = aborted;
        Method = method;
        Path = path;
        RawQuery = rawQuery;
        _header = header;
        Body = body;
    }

    public string Method { get; }

    public string PathBase { get; }

    public string Path { get; }

    /// <summary>The query as sent: <c>symbol</c> reads addresses from it (<c>0xADDR+0xADDR</c>).</summary>
    public string RawQuery { get; }

    /// <summary>The query's parameters, read once.</summary>
    public PprofQuery Query => _query ??= new PprofQuery(RawQuery);

    public Stream? Body { get; }

    public CancellationToken Aborted { get; }

    public string? Header(string name) => _header(name);
}
