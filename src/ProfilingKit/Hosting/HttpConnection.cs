using System.Buffers;
using System.Net.Sockets;

namespace ProfilingKit.Hosting;

/// <summary>
/// One client connection of <see cref="PprofServer"/>: its socket, the bytes received and not yet
/// parsed (at most one head's worth, from the shared pool), the body being read, and its deadline.
/// The server's loop thread owns it, except while a worker serves its request (<see cref="State.Busy"/>).
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly CancellationTokenSource _aborted = new();
    private byte[]? _body;

    public HttpConnection(Socket socket, int maxHeadBytes)
    {
        Socket = socket;
        Buffer = ArrayPool<byte>.Shared.Rent(maxHeadBytes);
        Capacity = maxHeadBytes;
    }

    public enum State
    {
        /// <summary>Waiting for a request's head (or idle between requests when nothing is buffered).</summary>
        Head,

        /// <summary>Reading the body of <see cref="Pending"/>.</summary>
        Body,

        /// <summary>A worker is serving <see cref="Pending"/>; received bytes wait in the buffer.</summary>
        Busy,

        /// <summary>Answered and shut down for sending; reading what the client still sends, then closed.</summary>
        Draining,
    }

    public Socket Socket { get; }

    public State Phase { get; set; }

    /// <summary>Received bytes not yet consumed; only the first <see cref="Buffered"/> count.</summary>
    public byte[] Buffer { get; }

    /// <summary>How many bytes <see cref="Buffer"/> may hold (the pool may give more).</summary>
    public int Capacity { get; }

    public int Buffered { get; set; }

    /// <summary>The request being read or served.</summary>
    public HttpRequestHead? Pending { get; set; }

    /// <summary>The body read so far, of <see cref="HttpRequestHead.ContentLength"/> bytes in all.</summary>
    public byte[] Body => _body ?? [];

    public int BodyRead { get; set; }

    /// <summary>When the current wait ends (<see cref="Environment.TickCount64"/>): head, body, idle or drain deadline.</summary>
    public long Deadline { get; set; }

    /// <summary>Requests answered on this connection.</summary>
    public int Served { get; set; }

    /// <summary>True once the head being read has its first byte, so its deadline is not moved by later ones.</summary>
    public bool HeadStarted { get; set; }

    /// <summary>Set (by the loop) when the client closed or reset the connection; the request's waits end.</summary>
    public bool PeerGone => _aborted.IsCancellationRequested;

    public CancellationToken Aborted => _aborted.Token;

    /// <summary>The loop receives only into room it has: nothing while a body is complete, nothing into a full buffer.</summary>
    public bool WantsRead => Phase switch
    {
        State.Busy => Buffered < Capacity && !PeerGone,
        _ => true,
    };

    public void MarkPeerGone()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException)
        {
            // A request's own wait failed to end; it ends at its window.
        }
    }

    /// <summary>Drops the first <paramref name="count"/> buffered bytes.</summary>
    public void Consume(int count)
    {
        Buffered -= count;
        Array.Copy(Buffer, count, Buffer, 0, Buffered);
    }

    public void StartBody(long length)
    {
        _body = ArrayPool<byte>.Shared.Rent((int)length);
        var now = (int)Math.Min(length, Buffered);
        Array.Copy(Buffer, _body, now);
        Consume(now);
        BodyRead = now;
    }

    /// <summary>Returns the body's memory once its request is served.</summary>
    public void ReleaseBody()
    {
        if (_body is { } body) ArrayPool<byte>.Shared.Return(body);
        _body = null;
        BodyRead = 0;
        Pending = null;
    }

    public void Dispose()
    {
        try
        {
            Socket.Dispose();
        }
        finally
        {
            ReleaseBody();
            ArrayPool<byte>.Shared.Return(Buffer);
            _aborted.Dispose();
        }
    }
}
