using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProfilingKit.Testing;

/// <summary>
/// One TCP connection that writes bytes exactly as given and reads responses as they come: what a
/// broken or hostile client does, which HttpClient never would.
/// </summary>
public sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    public RawHttpClient(IPEndPoint endPoint)
    {
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        _socket.Connect(endPoint);
    }

    public void Send(string text) => _socket.Send(Encoding.Latin1.GetBytes(text));

    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>The next response: status, headers and a body of its Content-Length (none for HEAD).</summary>
    public RawResponse ReadResponse(bool head = false)
    {
        var headEnd = Fill(() => IndexOf("\r\n\r\n"u8) is var i && i >= 0 ? i + 4 : -1);
        var lines = Encoding.Latin1.GetString([.. _received.Take(headEnd - 4)]).Split("\r\n");
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        _received.RemoveRange(0, headEnd);
        var length = head || !headers.TryGetValue("Content-Length", out var text) ? 0 : int.Parse(text);
        Fill(() => _received.Count >= length ? length : -1);
        var body = Encoding.UTF8.GetString([.. _received.Take(length)]);
        _received.RemoveRange(0, length);
        return new RawResponse(int.Parse(lines[0].Split(' ')[1]), headers, body);
    }

    /// <summary>True when the server has closed the connection (after whatever it still had to say, which is returned).</summary>
    public bool IsClosedByServer(out string rest)
    {
        try
        {
            var buffer = new byte[4096];
            int read;
            while ((read = _socket.Receive(buffer)) > 0) _received.AddRange(buffer.AsSpan(0, read));
            rest = Encoding.Latin1.GetString([.. _received]);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            rest = Encoding.Latin1.GetString([.. _received]);
            return true;
        }
        catch (SocketException)
        {
            rest = Encoding.Latin1.GetString([.. _received]);
            return false; // still open when the receive timed out
        }
    }

    public void Dispose() => _socket.Dispose();

    private int Fill(Func<int> complete)
    {
        var buffer = new byte[65536];
        int found;
        while ((found = complete()) < 0)
        {
            var read = _socket.Receive(buffer);
            if (read == 0) throw new IOException($"the server closed the connection; received: {Encoding.Latin1.GetString([.. _received])}");
            _received.AddRange(buffer.AsSpan(0, read));
        }

        return found;
    }

    private int IndexOf(ReadOnlySpan<byte> pattern) => _received.Count < pattern.Length ? -1 : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_received).IndexOf(pattern);
}

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
