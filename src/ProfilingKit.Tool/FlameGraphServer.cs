using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProfilingKit.Tool;

/// <summary>
/// The HTTP server of <c>-http ADDR</c>: the flame graph page at <c>/</c> and the raw profile at
/// <c>/profile.pb.gz</c>, nothing else. Addresses are Go's <c>host:port</c>; <c>:port</c> means
/// every interface, as in go tool pprof.
/// </summary>
internal sealed class FlameGraphServer : IDisposable
{
    /// <summary>The raw profile's path; the page links to it.</summary>
    public const string ProfilePath = "/profile.pb.gz";

    private readonly HttpListener _listener;
    private readonly byte[] _page;
    private readonly byte[] _profile;
    private readonly Task _serving;

    private FlameGraphServer(HttpListener listener, string url, byte[] page, byte[] profile)
    {
        _listener = listener;
        _page = page;
        _profile = profile;
        Url = url;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Where the page is, for the person at the terminal.</summary>
    public string Url { get; }

    /// <exception cref="ToolException">The address is malformed, or its port is taken.</exception>
    public static FlameGraphServer Start(string address, string page, byte[] profile)
    {
        var (host, port) = Parse(address);
        var prefixHost = host is "" or "0.0.0.0" or "::" ? "*" : host.Contains(':') ? $"[{host}]" : host;
        if (IsBusy(host, port)) throw new ToolException($"-http {address}: the port {port} is in use; pick another (-http=localhost:PORT)");

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://{prefixHost}:{port.ToString(CultureInfo.InvariantCulture)}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            listener.Close();
            throw new ToolException($"-http {address}: cannot listen: {e.Message}");
        }

        var shownHost = prefixHost == "*" ? "localhost" : prefixHost;
        return new FlameGraphServer(listener, $"http://{shownHost}:{port}/", Encoding.UTF8.GetBytes(page), profile);
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Closing the listener ends the loop with an exception.
        }
    }

    private static (string Host, int Port) Parse(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ToolException($"-http takes host:port, such as localhost:8080 or :8080, not \"{address}\"");
        }

        return (address[..colon].Trim('[', ']'), port);
    }

    // HttpListener on Linux may share a port another process holds; a bind test says plainly that it is taken.
    private static bool IsBusy(string host, int port)
    {
        var ip = host is "" or "*" ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback;
        using var probe = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(ip, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                var path = context.Request.Url?.AbsolutePath ?? "/";
                var (status, type, body) = path switch
                {
                    "/" or "/ui/" or "/ui/flamegraph" => (200, "text/html; charset=utf-8", _page),
                    ProfilePath => (200, "application/octet-stream", _profile),
                    _ => (404, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("404 page not found\n")),
                };
                context.Response.StatusCode = status;
                context.Response.ContentType = type;
                context.Response.ContentLength64 = body.Length;
                if (context.Request.HttpMethod != "HEAD") await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The browser went away mid-reply; the next request is served as usual.
            }
        }
    }
}
