using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProfilingKit.Diagnostics;
using ProfilingKit.Hosting;
using ProfilingKit.Http;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests.Hosting;

/// <summary>
/// The standalone server with a dispatcher of test routes and short limits, spoken to byte by byte:
/// HTTP/1.1 as clients speak it, and every limit a hostile client meets.
/// </summary>
public sealed class PprofServerTests : IDisposable
{
    private static readonly ServerLimits Short = new()
    {
        MaxHeadBytes = 4096,
        MaxBodyBytes = 1024,
        MaxConnections = 8,
        HeadTimeout = TimeSpan.FromSeconds(1),
        BodyTimeout = TimeSpan.FromSeconds(1),
        IdleTimeout = TimeSpan.FromSeconds(2),
        WriteStallTimeout = TimeSpan.FromSeconds(1),
    };

    private readonly ManualResetEventSlim _waitCancelled = new();
    private readonly ManualResetEventSlim _streamReleased = new();
    private readonly PprofServer _server;

    public PprofServerTests() => _server = Start("127.0.0.1:" + FreePort.Next());

    private IPEndPoint EndPoint => _server.EndPoints[0];

    public void Dispose()
    {
        _server.Dispose();
        _waitCancelled.Dispose();
        _streamReleased.Dispose();
    }

    [Fact]
    public void Keep_alive_and_pipelined_requests_are_answered_in_order_on_one_connection()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("GET /debug/pprof/echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /debug/pprof/echo?n=2 HTTP/1.1\r\nHost: x\r\n\r\nGET /debug/pprof/echo?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal(["GET n=1", "GET n=2", "GET n=3"], new[] { client.ReadResponse().Body, client.ReadResponse().Body, client.ReadResponse().Body });
        Assert.True(client.IsClosedByServer(out var rest) && rest.Length == 0, rest);
    }

    [Fact]
    public void Head_gets_the_headers_without_the_body_and_the_next_request_on_the_connection_is_answered()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("HEAD /debug/pprof/echo HTTP/1.1\r\nHost: x\r\n\r\nGET /debug/pprof/echo?after=head HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = client.ReadResponse(head: true);
        var next = client.ReadResponse();

        Assert.Equal((200, "HEAD ".Length + 0), (head.Status, int.Parse(head.Headers["Content-Length"])));
        Assert.Equal((200, "GET after=head"), (next.Status, next.Body));
    }

    [Theory]
    [InlineData("GET /debug/pprof/echo HTTP/2.0\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("GET /debug/pprof/echo HTTP/3\r\nHost: x\r\n\r\nGET /debug/pprof/echo HTTP/1.1\r\n\r\n")]
    public void Other_versions_get_one_505_and_the_connection_closes(string request)
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send(request);

        Assert.Equal(505, client.ReadResponse().Status);
        Assert.True(client.IsClosedByServer(out var rest), "the connection stayed open");
        Assert.Equal("", rest);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("get /debug/pprof/echo HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET debug/pprof/echo HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /debug/pprof/echo HTTP/1.1\r\nNo colon here\r\n\r\n", 400)]
    [InlineData("GET /debug/pprof/echo HTTP/1.1\r\nBad Name: x\r\n\r\n", 400)]
    [InlineData("POST /debug/pprof/symbol HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n0x1+0\r\n0\r\n\r\n", 501)]
    [InlineData("POST /debug/pprof/symbol HTTP/1.1\r\nContent-Length: 99999\r\n\r\n", 413)]
    [InlineData("POST /debug/pprof/symbol HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", 400)]
    public void Malformed_requests_get_a_clear_status_and_a_closed_connection(string request, int status)
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send(request);

        Assert.Equal(status, client.ReadResponse().Status);
        Assert.True(client.IsClosedByServer(out _), "the connection stayed open");
        AssertStillServes();
    }

    [Fact]
    public void A_head_larger_than_the_limit_is_refused_431_without_reading_it_all()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("GET /debug/pprof/echo?q=" + new string('a', 64 * 1024) + " HTTP/1.1\r\n\r\n");

        Assert.Equal(431, client.ReadResponse().Status);
        Assert.True(client.IsClosedByServer(out _), "the connection stayed open");
        AssertStillServes();
    }

    [Fact]
    public void A_head_trickled_one_line_at_a_time_is_cut_off_at_the_head_deadline()
    {
        using var client = new RawHttpClient(EndPoint);
        var clock = Stopwatch.StartNew();

        client.Send("GET /debug/pprof/echo HTTP/1.1\r\n");
        RawResponse? response = null;
        try
        {
            for (var i = 0; i < 20 && response is null; i++)
            {
                Thread.Sleep(250);
                client.Send($"X-Trickle-{i}: {i}\r\n");
            }
        }
        catch (SocketException)
        {
            // Closed by the server while trickling.
        }

        response = client.ReadResponse();
        Assert.Equal(408, response.Status);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 4);
    }

    [Fact]
    public void An_idle_connection_is_closed_at_the_idle_deadline()
    {
        using var client = new RawHttpClient(EndPoint);
        client.Send("GET /debug/pprof/echo HTTP/1.1\r\n\r\n");
        Assert.Equal(200, client.ReadResponse().Status);
        var clock = Stopwatch.StartNew();

        Assert.True(client.IsClosedByServer(out var rest), "still open after 10 s");
        Assert.Equal("", rest);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 6);
    }

    [Fact]
    public void At_the_connection_cap_idle_connections_make_room_and_trickling_ones_never_pass_it()
    {
        var idle = Enumerable.Range(0, Short.MaxConnections).Select(_ =>
        {
            var client = new RawHttpClient(EndPoint);
            client.Send("GET /debug/pprof/echo HTTP/1.1\r\n\r\n");
            client.ReadResponse();
            return client;
        }).ToList();
        WaitFor(() => _server.OpenConnections == Short.MaxConnections);

        // Keep-alive connections waiting for their next request give way to a newcomer; new ones that have not spoken yet do not.
        using (var newcomer = new RawHttpClient(EndPoint))
        {
            newcomer.Send("GET /debug/pprof/echo?room=1 HTTP/1.1\r\n\r\n");
            Assert.Equal("GET room=1", newcomer.ReadResponse().Body);
        }

        idle.ForEach(client => client.Dispose());
        var trickling = Enumerable.Range(0, Short.MaxConnections * 4).Select(_ =>
        {
            var client = new RawHttpClient(EndPoint);
            client.Send("GET /debug/pprof/echo HTTP/1.1\r\n");
            return client;
        }).ToList();

        var peak = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1.5)) peak = Math.Max(peak, _server.OpenConnections);
        trickling.ForEach(client => client.Dispose());

        Assert.InRange(peak, 1, Short.MaxConnections);
        WaitFor(() => _server.OpenConnections == 0);
        AssertStillServes();
    }

    [Fact]
    public void Slow_bodies_hold_no_worker_and_are_cut_off_at_the_body_deadline()
    {
        Assert.True(Short.MaxConnections - 1 > PprofWorkers.Count, "the test needs more slow clients than workers");
        var slow = Enumerable.Range(0, Short.MaxConnections - 1).Select(_ =>
        {
            var client = new RawHttpClient(EndPoint);
            client.Send("POST /debug/pprof/symbol HTTP/1.1\r\nContent-Length: 1000\r\n\r\n0x1");
            return client;
        }).ToList();

        var clock = Stopwatch.StartNew();
        AssertStillServes();
        Assert.True(clock.Elapsed < Short.BodyTimeout, $"the endpoint answered only after {clock.Elapsed}");

        Assert.All(slow, client => Assert.Equal(408, client.ReadResponse().Status));
        slow.ForEach(client => client.Dispose());
    }

    [Fact]
    public void A_body_is_read_whole_and_a_client_that_expects_100_continue_gets_it()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("POST /debug/pprof/symbol HTTP/1.1\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n");
        var proceed = client.ReadResponse();
        client.Send("0x10+0x20");

        Assert.Equal(100, proceed.Status);
        Assert.Equal((200, "POST 0x10+0x20"), (client.ReadResponse() is var answer ? (answer.Status, answer.Body) : default));
    }

    [Fact]
    public void A_client_that_goes_away_ends_the_wait_of_its_request()
    {
        using (var client = new RawHttpClient(EndPoint))
        {
            client.Send("GET /debug/pprof/wait HTTP/1.1\r\n\r\n");
            Thread.Sleep(200);
        }

        Assert.True(_waitCancelled.Wait(TimeSpan.FromSeconds(5)), "the request still waits for a client that left");
    }

    [Fact]
    public void A_streamed_reply_that_is_never_read_is_abandoned_after_the_write_deadline_and_frees_what_it_holds()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("GET /debug/pprof/stream HTTP/1.1\r\n\r\n"); // and never read

        Assert.True(_streamReleased.Wait(TimeSpan.FromSeconds(10)), "the streamed reply still holds its resource");
        AssertStillServes();
    }

    [Fact]
    public void Methods_other_than_get_and_head_are_refused_with_405_except_symbols_post()
    {
        using var client = new RawHttpClient(EndPoint);

        client.Send("POST /debug/pprof/echo HTTP/1.1\r\nContent-Length: 0\r\n\r\nDELETE /debug/pprof/ HTTP/1.1\r\n\r\n");
        var post = client.ReadResponse();
        var delete = client.ReadResponse();

        Assert.Equal((405, "GET, HEAD"), (post.Status, post.Headers["Allow"]));
        Assert.Equal(405, delete.Status);
    }

    [Fact]
    public void Localhost_binds_both_loopbacks_where_the_system_has_them()
    {
        using var server = Start("localhost:" + FreePort.Next());

        var families = server.EndPoints.Select(endPoint => endPoint.Address).ToList();
        Assert.Contains(IPAddress.Loopback, families);
        foreach (var endPoint in server.EndPoints) Assert.Equal(200, Get(endPoint, "/debug/pprof/echo").Status);
    }

    [Fact]
    public void Ipv6_loopback_and_the_dual_stack_wildcard_are_served()
    {
        Assert.True(Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback), "this machine has no IPv6 loopback, which the test needs");
        using var v6 = Start("[::1]:" + FreePort.Next());
        var port = FreePort.Next();
        using var any = Start(":" + port);

        Assert.Equal(200, Get(v6.EndPoints[0], "/debug/pprof/echo").Status);
        Assert.Equal(200, Get(new IPEndPoint(IPAddress.Loopback, port), "/debug/pprof/echo").Status);
        Assert.Equal(200, Get(new IPEndPoint(IPAddress.IPv6Loopback, port), "/debug/pprof/echo").Status);
    }

    [Fact]
    public void A_taken_port_is_an_error_at_start_and_nothing_stays_bound()
    {
        var error = Assert.Throws<SocketException>(() => Start($"{EndPoint.Address}:{EndPoint.Port}"));

        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        AssertStillServes();
    }

    [Fact]
    public void Random_and_mutated_requests_never_stop_the_server()
    {
        var random = new Random(20261202);
        var seeds = new[]
        {
            "GET /debug/pprof/echo?a=1 HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /debug/pprof/symbol HTTP/1.1\r\nContent-Length: 5\r\n\r\n0x1+2",
            "HEAD /debug/pprof/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        };
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 300 && clock.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            var bytes = Encoding.Latin1.GetBytes(seeds[random.Next(seeds.Length)]).ToList();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)random.Next(256); break;
                    case 1: bytes.RemoveAt(at); break;
                    case 2: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256))); break;
                    default: bytes.InsertRange(at, bytes.Take(random.Next(1, bytes.Count)).ToList()); break;
                }
            }

            using var client = new RawHttpClient(EndPoint);
            try
            {
                client.Send([.. bytes]);
                client.IsClosedByServer(out _); // whatever it answers; the server must go on
            }
            catch (SocketException)
            {
                // Reset by the server: a fine answer to garbage.
            }
        }

        AssertStillServes();
        WaitFor(() => _server.OpenConnections == 0);
    }

    private PprofServer Start(string address)
    {
        var dispatcher = new PprofDispatcher(
            [
                new PprofRoute("echo", "echo", PprofRoute.NoCount, Echo),
                new PprofRoute("symbol", "the one path that takes POST", PprofRoute.NoCount, Echo),
                new PprofRoute("wait", "wait", PprofRoute.NoCount, (_, cancel) =>
                {
                    if (cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(30))) _waitCancelled.Set();
                    return PprofReply.Text("waited", "text/plain");
                }),
                new PprofRoute("stream", "stream", PprofRoute.NoCount, (_, cancel) => PprofReply.StreamedAttachment("stream", output =>
                {
                    var chunk = new byte[1 << 20];
                    while (!cancel.IsCancellationRequested) output.Write(chunk);
                }, new Released(_streamReleased))),
            ],
            token: null);
        return PprofServer.Start(PprofAddress.Parse(address), dispatcher, new ProfilerThreads(), Short);
    }

    /// <summary>The method and the body, or the query where there is no body.</summary>
    private static PprofReply Echo(PprofRequest request, CancellationToken cancel) =>
        PprofReply.Text($"{request.Method} {(request.Body is { } body ? new StreamReader(body).ReadToEnd() : request.RawQuery)}", "text/plain");

    private void AssertStillServes() => Assert.Equal((200, "GET fine=1"), Get(EndPoint, "/debug/pprof/echo?fine=1") is var r ? (r.Status, r.Body) : default);

    private static RawResponse Get(IPEndPoint endPoint, string target)
    {
        using var client = new RawHttpClient(endPoint);
        client.Send($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");
        return client.ReadResponse();
    }

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail("the condition did not hold within 10 s");
            Thread.Sleep(20);
        }
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed class Released(ManualResetEventSlim released) : IDisposable
    {
        public void Dispose() => released.Set();
    }
}
