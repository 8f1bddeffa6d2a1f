using System.Globalization;
using System.Net;
using System.Text;

namespace ProfilingKit.Hosting;

/// <summary>
/// An HTTP/1.x request line and its headers, parsed from at most <see cref="ServerLimits.MaxHeadBytes"/>:
/// what <see cref="PprofServer"/> needs to route the request, read its body and know whether the
/// connection stays open. Anything it cannot read exactly is refused, with the status to say why.
/// </summary>
internal sealed class HttpRequestHead
{
    private readonly Dictionary<string, string> _headers;

    private HttpRequestHead(string method, string path, string rawQuery, bool isHttp11, Dictionary<string, string> headers, long contentLength)
    {
        Method = method;
        Path = path;
        RawQuery = rawQuery;
        IsHttp11 = isHttp11;
        _headers = headers;
        ContentLength = contentLength;
        var connection = Header("Connection") ?? "";
        KeepAlive = isHttp11 ? !HasToken(connection, "close") : HasToken(connection, "keep-alive");
        ExpectsContinue = contentLength > 0 && HasToken(Header("Expect") ?? "", "100-continue");
    }

    public string Method { get; }

    /// <summary>The URL path with dot segments resolved, still escaped.</summary>
    public string Path { get; }

    /// <summary>The query without its '?', still escaped.</summary>
    public string RawQuery { get; }

    public bool IsHttp11 { get; }

    /// <summary>Bytes of body that follow the headers; 0 when there is none.</summary>
    public long ContentLength { get; }

    /// <summary>True when the client keeps the connection for another request (HTTP/1.1 unless "close"; HTTP/1.0 only with "keep-alive").</summary>
    public bool KeepAlive { get; }

    /// <summary>True when the client waits for "100 Continue" before it sends its body.</summary>
    public bool ExpectsContinue { get; }

    public bool IsHead => Method == "HEAD";

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// The length of the head at the start of <paramref name="buffer"/>, through its blank line, or -1
    /// while the blank line has not arrived. Lines may end in CRLF or, as many clients and Go accept, LF.
    /// </summary>
    public static int Measure(ReadOnlySpan<byte> buffer)
    {
        for (var i = buffer.IndexOf((byte)'\n'); i >= 0 && i < buffer.Length - 1;)
        {
            var next = i + 1;
            if (buffer[next] == '\n') return next + 1;
            if (buffer[next] == '\r' && next + 1 < buffer.Length && buffer[next + 1] == '\n') return next + 2;

            var more = buffer.Slice(next).IndexOf((byte)'\n');
            i = more < 0 ? -1 : next + more;
        }

        return -1;
    }

    /// <summary>Parses a head <see cref="Measure"/> found; on failure <paramref name="error"/> says what to answer before the connection is closed.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head, int maxBodyBytes, out (HttpStatusCode Status, string Message) error)
    {
        error = default;
        var lines = Encoding.Latin1.GetString(head).Split('\n');
        var requestLine = lines[0].TrimEnd('\r').Split(' ');
        if (requestLine.Length != 3 || requestLine[0].Length == 0 || !requestLine[0].All(c => c is >= 'A' and <= 'Z'))
        {
            error = (HttpStatusCode.BadRequest, "malformed request line");
            return null;
        }

        var (method, target, version) = (requestLine[0], requestLine[1], requestLine[2]);
        if (version is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            error = version.StartsWith("HTTP/", StringComparison.Ordinal)
                ? (HttpStatusCode.HttpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are served here")
                : (HttpStatusCode.BadRequest, "malformed request line");
            return null;
        }

        if (!TryReadTarget(target, out var path, out var query))
        {
            error = (HttpStatusCode.BadRequest, "malformed request target");
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in lines.AsSpan(1))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;

            var colon = line.IndexOf(':');
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(" \t") || line.Any(c => c < ' ' && c != '\t'))
            {
                error = (HttpStatusCode.BadRequest, "malformed header line");
                return null;
            }

            var name = line.Substring(0, colon);
            var value = line.Substring(colon + 1).Trim(' ', '\t');
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        if (headers.ContainsKey("Transfer-Encoding"))
        {
            error = (HttpStatusCode.NotImplemented, "request bodies must have a Content-Length");
            return null;
        }

        long length = 0;
        if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            var values = lengthText.Split(',', StringSplitOptions.TrimEntries).Distinct().ToArray();
            if (values.Length != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                error = (HttpStatusCode.BadRequest, "malformed Content-Length");
                return null;
            }

            if (length > maxBodyBytes)
            {
                error = (HttpStatusCode.RequestEntityTooLarge, $"request bodies are limited to {maxBodyBytes} bytes");
                return null;
            }
        }

        return new HttpRequestHead(method, path, query, version == "HTTP/1.1", headers, length);
    }

    /// <summary>Origin form (<c>/debug/pprof/heap?gc=1</c>) or absolute form (<c>http://host/debug/pprof/heap</c>), dot segments resolved as a browser would.</summary>
    private static bool TryReadTarget(string target, out string path, out string query)
    {
        path = query = "";
        var absolute = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!absolute && !target.StartsWith('/')) return false;
        if (!Uri.TryCreate(absolute ? target : "http://localhost" + target, UriKind.Absolute, out var uri) || target.Contains('#')) return false;

        path = uri.AbsolutePath;
        query = uri.Query.TrimStart('?');
        return true;
    }

    private static bool HasToken(string list, string token) =>
        list.Split(',', StringSplitOptions.TrimEntries).Contains(token, StringComparer.OrdinalIgnoreCase);
}
