using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// A loopback HTTP server that answers every request with one canned response, after an optional
/// delay, and remembers what it was asked: enough to test how the tool fetches, not a pprof endpoint.
/// </summary>
internal sealed class FakeEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, (int Status, string ContentType, byte[] Body, TimeSpan Delay)> _answer;
    private readonly Task _serving;

    public FakeEndpoint(Func<HttpListenerRequest, (int Status, string ContentType, byte[] Body, TimeSpan Delay)> answer)
    {
        _answer = answer;
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>The path and query, and the Authorization header, of each request so far.</summary>
    public List<(string PathAndQuery, string? Authorization)> Requests { get; } = [];

    public static FakeEndpoint Serving(int status, string contentType, byte[] body, TimeSpan delay = default) =>
        new(_ => (status, contentType, body, delay));

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener's end ends the loop with an exception.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            lock (Requests) Requests.Add((context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"]));
            var (status, contentType, body, delay) = _answer(context.Request);
            await Task.Delay(delay);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
