using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProfilingKit.Http;

namespace ProfilingKit.Hosting;

/// <summary>
/// Writes a <see cref="PprofReply"/> as an HTTP/1.1 response: a length for bodies of known length, so
/// the connection can carry the next request; a streamed body (a trace) runs to the connection's
/// close. HEAD gets the headers alone. Writes wait at most <see cref="ServerLimits.WriteStallTimeout"/>
/// for a client that does not read (the socket's send timeout) and a body of known length at most
/// <see cref="ServerLimits.ResponseTimeout"/> in all; then the response is abandoned.
/// </summary>
internal static class HttpResponseWriter
{
    private const int Slice = 64 * 1024;

    /// <summary>Writes the response; true when the connection may carry another request.</summary>
    public static bool Write(Socket socket, HttpRequestHead request, PprofReply reply, ServerLimits limits)
    {
        var keepOpen = request.KeepAlive && !reply.IsStreamed;
        var head = new StringBuilder();
        StatusLine(head, reply.Status);
        if (reply.ContentType is not null) head.Append("Content-Type: ").Append(reply.ContentType).Append("\r\n");
        foreach (var (name, value) in reply.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (!reply.IsStreamed) head.Append(CultureInfo.InvariantCulture, $"Content-Length: {reply.Body.Length}\r\n");
        if (!keepOpen) head.Append("Connection: close\r\n");
        else if (!request.IsHttp11) head.Append("Connection: keep-alive\r\n");
        head.Append("\r\n");

        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var headBytes = Encoding.ASCII.GetBytes(head.ToString());
            if (request.IsHead)
            {
                stream.Write(headBytes);
            }
            else if (reply.IsStreamed)
            {
                stream.Write(headBytes);
                reply.WriteStreamedBody(stream);
            }
            else if (headBytes.Length + reply.Body.Length <= Slice)
            {
                stream.Write([.. headBytes, .. reply.Body]);
            }
            else
            {
                stream.Write(headBytes);
                WriteBody(stream, reply.Body, limits.ResponseTimeout);
            }

            return keepOpen;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            return false; // the client went away or stopped reading; the response is abandoned
        }
    }

    /// <summary>A whole response for an error the server finds before the dispatcher sees the request; the connection closes after it.</summary>
    public static byte[] Error(HttpStatusCode status, string message)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = new StringBuilder();
        StatusLine(head, status);
        head.Append(CultureInfo.InvariantCulture, $"Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    private static void WriteBody(Stream stream, byte[] body, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (var offset = 0; offset < body.Length; offset += Slice)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException("the client read the response too slowly");
            stream.Write(body, offset, Math.Min(Slice, body.Length - offset));
        }
    }

    private static void StatusLine(StringBuilder head, HttpStatusCode status) =>
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {(int)status} {ReasonPhrase(status)}\r\nDate: {DateTime.UtcNow:r}\r\n");

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.MovedPermanently => "Moved Permanently",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.MethodNotAllowed => "Method Not Allowed",
        HttpStatusCode.RequestTimeout => "Request Timeout",
        HttpStatusCode.RequestEntityTooLarge => "Content Too Large",
        HttpStatusCode.RequestHeaderFieldsTooLarge => "Request Header Fields Too Large",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.NotImplemented => "Not Implemented",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.HttpVersionNotSupported => "HTTP Version Not Supported",
        _ => status.ToString(),
    };
}
