using System.Net;
using System.Text;

namespace ProfilingKit.Http;

/// <summary>Writes responses the way Go's net/http/pprof does, so go tool pprof shows our messages.</summary>
internal static class PprofResponses
{
    /// <summary>Go's serveError: text/plain with X-Go-Pprof, so pprof prints the body after the status.</summary>
    public static void Error(HttpListenerResponse response, HttpStatusCode status, string message)
    {
        response.StatusCode = (int)status;
        response.Headers["X-Go-Pprof"] = "1";
        response.Headers.Remove("Content-Disposition");
        Text(response, message + "\n", "text/plain; charset=utf-8");
    }

    public static void Profile(HttpListenerResponse response, string name, byte[] gzippedProfile)
    {
        response.Headers["Content-Disposition"] = $"attachment; filename=\"{name}\"";
        Body(response, gzippedProfile, "application/octet-stream");
    }

    public static void Text(HttpListenerResponse response, string text, string contentType) =>
        Body(response, Encoding.UTF8.GetBytes(text), contentType);

    private static void Body(HttpListenerResponse response, byte[] body, string contentType)
    {
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }
}
