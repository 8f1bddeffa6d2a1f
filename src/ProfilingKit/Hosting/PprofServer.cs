using System.Net;
using System.Net.Sockets;
using ProfilingKit.Diagnostics;
using ProfilingKit.Http;

namespace ProfilingKit.Hosting;

/// <summary>
/// The standalone endpoint: a small HTTP/1.1 server over sockets whose every limit is ours
/// (<see cref="ServerLimits"/>). One profiler thread accepts connections and reads requests for all
/// of them, so a slow or silent client costs a buffer and a deadline, not a thread; complete requests
/// go to the workers, which hand them to the dispatcher and write the reply. Nothing here knows a
/// profile, and nothing runs on the app's threads. Requests of one connection are answered in order.
/// </summary>
internal sealed class PprofServer : IDisposable
{
    private const int MaxMicrosecondsPerWait = 1_000_000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly List<Socket> _listeners;
    private readonly PprofDispatcher _dispatcher;
    private readonly ServerLimits _limits;
    private readonly PprofWorkers _workers;
    private readonly Socket _wake;
    private readonly Dictionary<Socket, HttpConnection> _connections = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<(HttpConnection Connection, bool KeepOpen)> _served = new();
    private readonly Thread _loop;
    private volatile bool _stopping;
    private int _open;

    private PprofServer(List<Socket> listeners, PprofDispatcher dispatcher, ServerLimits limits, ProfilerThreads threads)
    {
        _listeners = listeners;
        _dispatcher = dispatcher;
        _limits = limits;
        _wake = WakeSocket();
        _workers = new PprofWorkers(threads);
        _loop = threads.Start("ProfilingKit pprof endpoint", Run);
    }

    /// <summary>Connections open now, idle, reading, served or draining.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>The addresses listened on, with the ports the system chose where the address said 0.</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => _listeners.Select(listener => (IPEndPoint)listener.LocalEndPoint!).ToList();

    /// <summary>Binds every endpoint of <paramref name="address"/> and starts serving.</summary>
    /// <exception cref="SocketException">An address is taken or cannot be bound; nothing stays bound.</exception>
    public static PprofServer Start(PprofAddress address, PprofDispatcher dispatcher, ProfilerThreads threads, ServerLimits? limits = null)
    {
        var listeners = new List<Socket>();
        try
        {
            foreach (var endPoint in address.EndPoints())
            {
                if (Bind(endPoint, required: listeners.Count == 0 || !IPAddress.IsLoopback(endPoint.Address)) is { } listener) listeners.Add(listener);
            }
        }
        catch
        {
            foreach (var listener in listeners) listener.Dispose();
            throw;
        }

        return new PprofServer(listeners, dispatcher, limits ?? ServerLimits.Default, threads);
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _stopping = true;
        foreach (var listener in _listeners) listener.Dispose();
        Wake();
        _loop.Join(TimeSpan.FromSeconds(5));
        _workers.Dispose();
        foreach (var connection in _connections.Values) connection.Dispose();
        _wake.Dispose();
    }

    /// <summary>
    /// A listening socket; the second loopback of <c>localhost</c> (<c>[::1]</c> beside 127.0.0.1) is
    /// bound where the system has it and skipped where it does not.
    /// </summary>
    private static Socket? Bind(IPEndPoint endPoint, bool required)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.Bind(endPoint);
            socket.Listen(512);
            socket.Blocking = false;
            return socket;
        }
        catch (SocketException) when (!required)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A datagram socket the workers poke when they hand a connection back, so the loop need not poll.</summary>
    private static Socket WakeSocket()
    {
        var loopback = Socket.OSSupportsIPv4 ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(loopback, 0));
        socket.Blocking = false;
        return socket;
    }

    private void Wake()
    {
        try
        {
            _wake.SendTo([1], _wake.LocalEndPoint!);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A wake is already pending, or the server is stopping.
        }
    }

    private void Run()
    {
        var readable = new List<Socket>();
        while (!_stopping)
        {
            readable.Clear();
            readable.AddRange(_listeners);
            readable.Add(_wake);
            foreach (var connection in _connections.Values)
            {
                if (connection.WantsRead) readable.Add(connection.Socket);
            }

            try
            {
                Socket.Select(readable, null, null, MicrosecondsToNextDeadline());
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping) return;
                ProfilingKitLog.WarnRepeating("pprof-select", $"the pprof endpoint could not wait for its clients: {e.Message}");
                Thread.Sleep(10);
                continue;
            }

            foreach (var socket in readable)
            {
                if (socket == _wake) DrainWakes();
                else if (_connections.TryGetValue(socket, out var connection)) Receive(connection);
                else AcceptFrom(socket);
            }

            while (_served.TryDequeue(out var served)) Resume(served.Connection, served.KeepOpen);
            ExpireDeadlines();
        }
    }

    private int MicrosecondsToNextDeadline()
    {
        var next = long.MaxValue;
        foreach (var connection in _connections.Values)
        {
            if (connection.Phase != HttpConnection.State.Busy) next = Math.Min(next, connection.Deadline);
        }

        var wait = (next - Environment.TickCount64) * 1000;
        return (int)Math.Clamp(wait, 1000, MaxMicrosecondsPerWait);
    }

    private void DrainWakes()
    {
        var buffer = new byte[16];
        try
        {
            while (_wake.Available > 0) _wake.Receive(buffer);
        }
        catch (SocketException)
        {
            // Nothing more to drain.
        }
    }

    private void AcceptFrom(Socket listener)
    {
        Socket socket;
        try
        {
            socket = listener.Accept();
        }
        catch (SocketException)
        {
            return; // the client left before it was accepted, or the system is out of descriptors for now
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        socket.Blocking = true;
        socket.NoDelay = true;
        socket.SendTimeout = (int)_limits.WriteStallTimeout.TotalMilliseconds;
        if (_connections.Count >= _limits.MaxConnections && !CloseOldestIdle())
        {
            ProfilingKitLog.WarnRepeating("pprof-connections", $"the pprof endpoint has {_connections.Count} connections open, its limit; refusing new ones until some close");
            SendNow(socket, HttpResponseWriter.Error(HttpStatusCode.ServiceUnavailable, "too many connections; try again in a moment"));
            socket.Dispose();
            return;
        }

        var connection = new HttpConnection(socket, _limits.MaxHeadBytes);
        _connections.Add(socket, connection);
        Interlocked.Increment(ref _open);
        BecomeIdle(connection);
    }

    /// <summary>
    /// Makes room for a newcomer by closing the keep-alive connection that has waited longest for its
    /// next request; a connection that has not had its first request yet is not idle, only new.
    /// </summary>
    private bool CloseOldestIdle()
    {
        var idle = _connections.Values
            .Where(connection => connection.Phase == HttpConnection.State.Head && !connection.HeadStarted && connection.Served > 0)
            .MinBy(connection => connection.Deadline);
        if (idle is null) return false;

        Close(idle);
        return true;
    }

    private void Receive(HttpConnection connection)
    {
        int received;
        try
        {
            received = connection.Phase == HttpConnection.State.Body
                ? connection.Socket.Receive(connection.Body, connection.BodyRead, (int)connection.Pending!.ContentLength - connection.BodyRead, SocketFlags.None)
                : connection.Socket.Receive(connection.Buffer, connection.Buffered, connection.Capacity - connection.Buffered, SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            received = 0;
        }

        if (received == 0)
        {
            // The client closed or reset: a request in progress ends its waits; otherwise nothing is left to do.
            if (connection.Phase == HttpConnection.State.Busy) connection.MarkPeerGone();
            else Close(connection);
            return;
        }

        switch (connection.Phase)
        {
            case HttpConnection.State.Draining:
                connection.Buffered = 0;
                break;
            case HttpConnection.State.Body:
                connection.BodyRead += received;
                if (connection.BodyRead == connection.Pending!.ContentLength) Dispatch(connection);
                break;
            case HttpConnection.State.Head:
                connection.Buffered += received;
                if (!connection.HeadStarted)
                {
                    connection.HeadStarted = true;
                    connection.Deadline = Environment.TickCount64 + (long)_limits.HeadTimeout.TotalMilliseconds;
                }

                ReadHead(connection);
                break;
            default:
                connection.Buffered += received; // pipelined: read once the current request is answered
                break;
        }
    }

    /// <summary>Parses a buffered head, if a whole one has arrived, and goes on to its body or its worker.</summary>
    private void ReadHead(HttpConnection connection)
    {
        var leading = connection.Buffer.AsSpan(0, connection.Buffered).IndexOfAnyExcept((byte)'\r', (byte)'\n');
        connection.Consume(leading < 0 ? connection.Buffered : leading);
        if (connection.Buffered == 0) return;

        var length = HttpRequestHead.Measure(connection.Buffer.AsSpan(0, connection.Buffered));
        if (length < 0)
        {
            if (connection.Buffered == connection.Capacity) Refuse(connection, HttpStatusCode.RequestHeaderFieldsTooLarge, $"the request line and headers are limited to {_limits.MaxHeadBytes} bytes");
            return;
        }

        var head = HttpRequestHead.Parse(connection.Buffer.AsSpan(0, length), _limits.MaxBodyBytes, out var error);
        connection.Consume(length);
        if (head is null)
        {
            Refuse(connection, error.Status, error.Message);
            return;
        }

        connection.Pending = head;
        if (head.ContentLength == 0)
        {
            Dispatch(connection);
            return;
        }

        connection.StartBody(head.ContentLength);
        if (connection.BodyRead == head.ContentLength)
        {
            Dispatch(connection);
            return;
        }

        connection.Phase = HttpConnection.State.Body;
        connection.Deadline = Environment.TickCount64 + (long)_limits.BodyTimeout.TotalMilliseconds;
        if (head.ExpectsContinue) SendNow(connection.Socket, "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
    }

    private void Dispatch(HttpConnection connection)
    {
        connection.Phase = HttpConnection.State.Busy;
        var head = connection.Pending!;
        var body = connection.BodyRead;
        if (!_workers.TryQueue(() => Serve(connection, head, body)))
        {
            Refuse(connection, HttpStatusCode.ServiceUnavailable, PprofWorkers.BusyMessage);
        }
    }

    /// <summary>On a worker: the dispatcher's reply, written; then the connection goes back to the loop.</summary>
    private void Serve(HttpConnection connection, HttpRequestHead head, int bodyLength)
    {
        var keepOpen = false;
        try
        {
            using var body = bodyLength == 0 ? null : new MemoryStream(connection.Body, 0, bodyLength, writable: false);
            var request = new PprofRequest(head.Method, pathBase: "", head.Path, head.RawQuery, head.Header, body, connection.Aborted);
            using var reply = _dispatcher.Serve(request);
            keepOpen = HttpResponseWriter.Write(connection.Socket, head, reply, _limits);
        }
        catch (Exception e)
        {
            ProfilingKitLog.WarnRepeating("pprof-request", $"a pprof request failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _served.Enqueue((connection, keepOpen && !connection.PeerGone && !_stopping));
            Wake();
        }
    }

    /// <summary>On the loop: a served connection waits for its next request, which may already be buffered, or closes.</summary>
    private void Resume(HttpConnection connection, bool keepOpen)
    {
        connection.ReleaseBody();
        connection.Served++;
        if (!keepOpen)
        {
            Drain(connection);
            return;
        }

        BecomeIdle(connection);
        if (connection.Buffered > 0)
        {
            connection.HeadStarted = true;
            connection.Deadline = Environment.TickCount64 + (long)_limits.HeadTimeout.TotalMilliseconds;
            ReadHead(connection);
        }
    }

    private void BecomeIdle(HttpConnection connection)
    {
        connection.Phase = HttpConnection.State.Head;
        connection.HeadStarted = false;
        connection.Deadline = Environment.TickCount64 + (long)_limits.IdleTimeout.TotalMilliseconds;
    }

    private void ExpireDeadlines()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Values.Where(c => c.Phase != HttpConnection.State.Busy && c.Deadline <= now).ToList())
        {
            if (connection.Phase == HttpConnection.State.Draining || !connection.HeadStarted && connection.Phase == HttpConnection.State.Head) Close(connection);
            else Refuse(connection, HttpStatusCode.RequestTimeout, "the request did not arrive in time");
        }
    }

    /// <summary>Answers an error the loop found itself (malformed, too large, too slow) and closes the connection.</summary>
    private void Refuse(HttpConnection connection, HttpStatusCode status, string message)
    {
        SendNow(connection.Socket, HttpResponseWriter.Error(status, message));
        Drain(connection);
    }

    /// <summary>
    /// Sends a short reply from the loop without ever waiting for the client: a client whose buffers
    /// are full just misses it. The loop never blocks on one connection.
    /// </summary>
    private static void SendNow(Socket socket, byte[] bytes)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(bytes);
            socket.Blocking = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client cannot take it now; it is closed next.
        }
    }

    /// <summary>
    /// Closes after reading out what the client still sends (up to <see cref="DrainTimeout"/>), so an
    /// answer sent before unread bytes is not lost to a reset.
    /// </summary>
    private void Drain(HttpConnection connection)
    {
        try
        {
            connection.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close(connection);
            return;
        }

        connection.Phase = HttpConnection.State.Draining;
        connection.Buffered = 0;
        connection.Deadline = Environment.TickCount64 + (long)DrainTimeout.TotalMilliseconds;
    }

    private void Close(HttpConnection connection)
    {
        if (_connections.Remove(connection.Socket)) Interlocked.Decrement(ref _open);
        connection.Dispose();
    }
}
