using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProfilingKit.Pprof.Tests;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port that serves fixed bodies by path and
/// records every request target, so tests can see what <c>go tool pprof</c> asked for.
/// </summary>
internal sealed class StaticProfileServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyDictionary<string, byte[]> _bodies;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public StaticProfileServer(IReadOnlyDictionary<string, byte[]> bodiesByPath)
    {
        _bodies = bodiesByPath;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Request targets (method, path and query) in arrival order, e.g. <c>GET /debug/pprof/allocs</c>.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the cancellation or the stopped listener; either is expected here.
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = await ReadRequestHeadAsync(stream);
            var requestLine = head.Split("\r\n", 2)[0].Split(' ');
            if (requestLine.Length != 3) return;

            var (method, target) = (requestLine[0], requestLine[1]);
            _requests.Enqueue($"{method} {target}");
            var path = target.Split('?', 2)[0];
            var response = method == "GET" && _bodies.TryGetValue(path, out var body)
                ? Response("200 OK", "application/octet-stream", body)
                : Response("404 Not Found", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("404 page not found\n"));
            await stream.WriteAsync(response);
        }
    }

    private static async Task<string> ReadRequestHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (head.Length < 64 * 1024 && !head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }

    private static byte[] Response(string status, string contentType, byte[] body)
    {
        var header = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return header.Concat(body).ToArray();
    }
}
