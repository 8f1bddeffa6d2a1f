using System.Net;
using System.Text;

namespace ProfilingKit.Http;

/// <summary>
/// What the dispatcher answers, for any server to send: a status, headers and a body, either bytes
/// of known length or a stream written as it comes (a trace). Replies are shaped as Go's
/// net/http/pprof shapes them, so go tool pprof reads our errors and attachments as Go's.
/// Dispose every reply: a streamed body that is never written still holds what it streams from.
/// </summary>
internal sealed class PprofReply : IDisposable
{
    private static readonly byte[] NoBody = [];

    private readonly Action<Stream>? _writeBody;
    private readonly List<IDisposable> _resources = [];

    private PprofReply(HttpStatusCode status, string? contentType, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, Action<Stream>? writeBody, IDisposable? resource)
    {
        Status = status;
        ContentType = contentType;
        Headers = headers;
        Body = body;
        _writeBody = writeBody;
        if (resource is not null) _resources.Add(resource);
    }

    public HttpStatusCode Status { get; }

    /// <summary>The Content-Type, or null for a reply without a body.</summary>
    public string? ContentType { get; }

    /// <summary>The headers besides Content-Type and Content-Length.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body, when its length is known; empty for a streamed body.</summary>
    public byte[] Body { get; }

    /// <summary>True when the body is streamed (<see cref="WriteStreamedBody"/>) and its length is not known in advance.</summary>
    public bool IsStreamed => _writeBody is not null;

    /// <summary>Go's serveError: text/plain with X-Go-Pprof, so pprof prints the body after the status.</summary>
    public static PprofReply Error(HttpStatusCode status, string message, params KeyValuePair<string, string>[] headers) =>
        new(status, "text/plain; charset=utf-8", [.. headers, new("X-Go-Pprof", "1"), NoSniff], Encoding.UTF8.GetBytes(message + "\n"), null, null);

    /// <summary>A text or HTML page.</summary>
    public static PprofReply Text(string text, string contentType) => Content(Encoding.UTF8.GetBytes(text), contentType);

    /// <summary>A body of <paramref name="contentType"/>, already encoded.</summary>
    public static PprofReply Content(byte[] body, string contentType) => new(HttpStatusCode.OK, contentType, [NoSniff], body, null, null);

    /// <summary>A profile as Go sends one: an attachment named after the profile.</summary>
    public static PprofReply Attachment(string name, byte[] body) =>
        new(HttpStatusCode.OK, "application/octet-stream", [Disposition(name), NoSniff], body, null, null);

    /// <summary>A body written as it comes, whose length is known only at its end; <paramref name="resource"/> is disposed with the reply.</summary>
    public static PprofReply StreamedAttachment(string name, Action<Stream> write, IDisposable resource) =>
        new(HttpStatusCode.OK, "application/octet-stream", [Disposition(name), NoSniff], NoBody, write, resource);

    /// <summary>A redirect, as Go's mux answers a path without its trailing slash.</summary>
    public static PprofReply Redirect(string location) =>
        new(HttpStatusCode.MovedPermanently, null, [new("Location", location)], NoBody, null, null);

    /// <summary>Writes the streamed body to <paramref name="output"/>; once.</summary>
    public void WriteStreamedBody(Stream output)
    {
        if (_writeBody is null) throw new InvalidOperationException("This reply's body is not streamed.");
        try
        {
            _writeBody(output);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Keeps <paramref name="resource"/> until the reply is disposed: what a streamed body still needs while it is written.</summary>
    public void Holds(IDisposable resource)
    {
        lock (_resources) _resources.Add(resource);
    }

    /// <summary>Disposes what the reply holds, in the order it was given; once.</summary>
    public void Dispose()
    {
        IDisposable[] resources;
        lock (_resources)
        {
            resources = [.. _resources];
            _resources.Clear();
        }

        foreach (var resource in resources) resource.Dispose();
    }

    private static KeyValuePair<string, string> NoSniff => new("X-Content-Type-Options", "nosniff");

    private static KeyValuePair<string, string> Disposition(string name) => new("Content-Disposition", $"attachment; filename=\"{name}\"");
}
