using System.Net;
using System.Text;
using ProfilingKit.Http;

namespace ProfilingKit.Tests.Http;

/// <summary>The dispatcher alone, with routes of its own: what every host gets from it, without a server.</summary>
public class PprofDispatcherTests
{
    [Fact]
    public void A_route_gets_its_request_and_its_reply_is_the_dispatchers()
    {
        PprofRequest? seen = null;
        using var dispatcher = Dispatcher(token: null, Route("echo", (request, _) =>
        {
            seen = request;
            return PprofReply.Text("debug=" + request.Query.Debug, "text/plain; charset=utf-8");
        }));

        using var reply = dispatcher.Serve(Get("/debug/pprof/echo", "debug=2"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("debug=2", Encoding.UTF8.GetString(reply.Body));
        Assert.Equal("/debug/pprof/echo", seen!.Path);
        Assert.Contains(new KeyValuePair<string, string>("X-Content-Type-Options", "nosniff"), reply.Headers);
    }

    [Theory]
    [InlineData("/debug/pprof/nothing", "Unknown profile\n")]
    [InlineData("/elsewhere", "404 page not found\n")]
    [InlineData("/debug/pprofx", "404 page not found\n")]
    public void Unknown_paths_get_gos_404_texts(string path, string body)
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(Get(path));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal(body, Encoding.UTF8.GetString(reply.Body));
        Assert.Contains(new KeyValuePair<string, string>("X-Go-Pprof", "1"), reply.Headers);
    }

    [Fact]
    public void The_base_path_without_its_slash_is_redirected_as_gos_mux_does()
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(Get("/debug/pprof"));

        Assert.Equal(HttpStatusCode.MovedPermanently, reply.Status);
        Assert.Contains(new KeyValuePair<string, string>("Location", "/debug/pprof/"), reply.Headers);
    }

    [Theory]
    [InlineData("", 301, null)]
    [InlineData("/", 200, "text/html; charset=utf-8")]
    [InlineData("/echo", 200, "text/plain")]
    [InlineData("/nothing", 404, "text/plain; charset=utf-8")]
    public void A_host_that_mounts_the_profiles_elsewhere_gets_the_same_answers_below_its_mount(string path, int status, string? contentType)
    {
        using var dispatcher = Dispatcher(token: null, Route("echo", Ok));

        using var reply = dispatcher.Serve(new PprofRequest("GET", "/admin/pprof", path, "", _ => null, null));

        Assert.Equal((status, contentType), ((int)reply.Status, reply.ContentType));
        if (status == 301) Assert.Contains(new KeyValuePair<string, string>("Location", "/admin/pprof/"), reply.Headers);
    }

    [Fact]
    public void The_index_lists_every_route_in_name_order_with_its_live_count()
    {
        var count = 3L;
        using var dispatcher = Dispatcher(token: null, Route("zeta", Ok, () => count), Route("alpha", Ok));

        count = 7;
        using var reply = dispatcher.Serve(Get("/debug/pprof/"));
        var html = Encoding.UTF8.GetString(reply.Body);

        Assert.Equal("text/html; charset=utf-8", reply.ContentType);
        Assert.True(html.IndexOf("alpha?debug=1", StringComparison.Ordinal) < html.IndexOf("zeta?debug=1", StringComparison.Ordinal), html);
        Assert.Contains("<tr><td>7</td><td><a href='zeta?debug=1'>", html);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Basic !!!")]
    public void Without_the_token_every_path_is_401_with_a_basic_challenge_and_no_handler_runs(string? authorization)
    {
        var ran = false;
        using var dispatcher = Dispatcher(new PprofAccessToken("s3cret"), Route("allocs", (_, _) =>
        {
            ran = true;
            return Ok(null!, default);
        }));

        using var reply = dispatcher.Serve(Get("/debug/pprof/allocs", authorization: authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Contains(reply.Headers, header => header.Key == "WWW-Authenticate" && header.Value.StartsWith("Basic ", StringComparison.Ordinal));
        Assert.False(ran);
    }

    [Theory]
    [InlineData("Bearer s3cret")]
    [InlineData("Basic cHByb2Y6czNjcmV0")] // pprof:s3cret, what go tool pprof sends for http://pprof:s3cret@host/...
    public void With_the_token_the_route_runs(string authorization)
    {
        using var dispatcher = Dispatcher(new PprofAccessToken("s3cret"), Route("allocs", Ok));

        using var reply = dispatcher.Serve(Get("/debug/pprof/allocs", authorization: authorization));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public void What_handlers_throw_becomes_gos_error_replies_and_never_leaves_the_dispatcher()
    {
        using var dispatcher = Dispatcher(
            token: null,
            Route("bad", (_, _) => throw new PprofRequestException(HttpStatusCode.BadRequest, "invalid value")),
            Route("off", (_, _) => throw new ProfilingUnavailableException("the runtime's diagnostic port is disabled")),
            Route("bug", (_, _) => throw new InvalidOperationException("a bug")));

        using var bad = dispatcher.Serve(Get("/debug/pprof/bad"));
        using var off = dispatcher.Serve(Get("/debug/pprof/off"));
        using var bug = dispatcher.Serve(Get("/debug/pprof/bug"));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid value\n"), (bad.Status, Encoding.UTF8.GetString(bad.Body)));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Could not collect profile: the runtime's diagnostic port is disabled\n"), (off.Status, Encoding.UTF8.GetString(off.Body)));
        Assert.Equal(HttpStatusCode.InternalServerError, bug.Status);
        Assert.All(new[] { bad, off, bug }, reply => Assert.Equal("text/plain; charset=utf-8", reply.ContentType));
    }

    [Fact]
    public void An_aborted_request_ends_the_handlers_wait()
    {
        using var dispatcher = Dispatcher(token: null, Route("wait", (_, cancel) =>
        {
            var ended = cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
            return PprofReply.Text(ended ? "cancelled" : "timed out", "text/plain");
        }));
        using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        using var reply = dispatcher.Serve(new PprofRequest("GET", "", "/debug/pprof/wait", "", _ => null, null, abort.Token));

        Assert.Equal("cancelled", Encoding.UTF8.GetString(reply.Body));
    }

    [Fact]
    public async Task Disposing_the_dispatcher_ends_the_waits_of_streamed_bodies_still_being_written()
    {
        var dispatcher = Dispatcher(token: null, Route("stream", (_, cancel) =>
            PprofReply.StreamedAttachment("x", output => output.WriteByte(cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)) ? (byte)1 : (byte)0), new Resource())));
        using var reply = dispatcher.Serve(Get("/debug/pprof/stream"));
        using var body = new MemoryStream();

        var writing = Task.Run(() => reply.WriteStreamedBody(body));
        dispatcher.Dispose();

        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 1 }, body.ToArray());
    }

    [Fact]
    public void A_streamed_reply_gives_back_what_it_holds_whether_or_not_its_body_is_written()
    {
        var written = new Resource();
        var unwritten = new Resource();
        using var dispatcher = Dispatcher(
            token: null,
            Route("written", (_, _) => PprofReply.StreamedAttachment("a", output => output.WriteByte(42), written)),
            Route("unwritten", (_, _) => PprofReply.StreamedAttachment("b", _ => throw new InvalidOperationException("never written"), unwritten)));

        using (var reply = dispatcher.Serve(Get("/debug/pprof/written")))
        {
            Assert.True(reply.IsStreamed);
            reply.WriteStreamedBody(Stream.Null);
            Assert.True(written.Disposed);
        }

        dispatcher.Serve(Get("/debug/pprof/unwritten")).Dispose(); // a HEAD request, a client gone before the body
        Assert.True(unwritten.Disposed);
    }

    private static PprofDispatcher Dispatcher(PprofAccessToken? token, params PprofRoute[] routes) => new(routes, token);

    private static PprofRoute Route(string name, PprofHandler handler, Func<long>? count = null) => new(name, "the " + name + " profile", count ?? PprofRoute.NoCount, handler);

    private static PprofReply Ok(PprofRequest request, CancellationToken cancel) => PprofReply.Text("ok", "text/plain");

    private static PprofRequest Get(string path, string query = "", string? authorization = null) =>
        new("GET", "", path, query, name => name == "Authorization" ? authorization : null, null);

    private sealed class Resource : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
