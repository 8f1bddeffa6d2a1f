using System.Net;
using System.Text;
using ProfilingKit.Http;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests.Http;

/// <summary>/debug/pprof/ui/ through the dispatcher, over routes of the test's own: what every host serves.</summary>
public class PprofViewerTests
{
    private static readonly Frame Main = new("Program.Main", "Program.cs", 10);
    private static readonly Frame Concat = new("System.String.Concat");

    [Fact]
    public void The_list_offers_every_profile_with_a_seconds_field_and_leaves_out_what_is_not_one()
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(Get("/debug/pprof/ui/"));
        var html = Encoding.UTF8.GetString(reply.Body);

        Assert.Equal((HttpStatusCode.OK, "text/html; charset=utf-8"), (reply.Status, reply.ContentType));
        Assert.Contains("<form method=\"get\" action=\"allocs\">", html);
        Assert.Contains("<form method=\"get\" action=\"profile\">", html);
        Assert.Contains("name=\"seconds\" type=\"number\" min=\"1\" step=\"1\" value=\"30\" required", html); // profile: a window, Go's 30 s
        Assert.Contains("name=\"seconds\" type=\"number\" min=\"1\" step=\"1\" placeholder=\"now\"", html); // allocs: now, or a delta
        Assert.DoesNotContain("action=\"trace\"", html);
        Assert.DoesNotContain("action=\"cmdline\"", html);
    }

    [Fact]
    public void The_index_links_the_viewer_and_ui_without_its_slash_is_redirected()
    {
        using var dispatcher = Dispatcher(token: null);

        using var index = dispatcher.Serve(Get("/debug/pprof/"));
        using var bare = dispatcher.Serve(Get("/debug/pprof/ui"));
        using var mounted = dispatcher.Serve(new PprofRequest("GET", "/admin/pprof", "/ui", "", _ => null, null));

        Assert.Contains("<a href='ui/'>", Encoding.UTF8.GetString(index.Body));
        Assert.Contains(new KeyValuePair<string, string>("Location", "/debug/pprof/ui/"), bare.Headers);
        Assert.Contains(new KeyValuePair<string, string>("Location", "/admin/pprof/ui/"), mounted.Headers);
    }

    [Fact]
    public void A_profiles_page_is_the_flame_graph_of_what_its_route_answers_with_the_same_query()
    {
        string? seen = null;
        using var dispatcher = Dispatcher(token: null, Route("allocs", (request, _) =>
        {
            seen = request.RawQuery;
            return PprofReply.Attachment("allocs", ProfileSerializer.ToGzipBytes(Allocs()));
        }));

        using var reply = dispatcher.Serve(Get("/debug/pprof/ui/allocs", "seconds=5&si=alloc_objects"));
        var data = FlameGraphPageData.Of(Encoding.UTF8.GetString(reply.Body));

        Assert.Equal((HttpStatusCode.OK, "text/html; charset=utf-8"), (reply.Status, reply.ContentType));
        Assert.Equal("seconds=5&si=alloc_objects", seen);
        Assert.Equal("/debug/pprof/allocs?seconds=5", data.GetProperty("title").GetString());
        Assert.Equal(0, data.GetProperty("selected").GetInt32());
        Assert.Equal((1_000L, 1_000L), FlameGraphPageData.Top(data, type: 1)[Concat.FunctionName]);
    }

    [Fact]
    public void The_same_page_is_served_below_a_hosts_mount()
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(new PprofRequest("GET", "/admin/pprof", "/ui/allocs", "", _ => null, null));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Contains(Concat.FunctionName, FlameGraphPageData.FunctionNames(FlameGraphPageData.Of(Encoding.UTF8.GetString(reply.Body))));
    }

    [Theory]
    [InlineData("/debug/pprof/ui/")]
    [InlineData("/debug/pprof/ui/allocs")]
    public void Without_the_token_the_viewer_is_401_too(string path)
    {
        using var dispatcher = Dispatcher(new PprofAccessToken("s3cret"));

        using var refused = dispatcher.Serve(Get(path));
        using var allowed = dispatcher.Serve(Get(path, authorization: "Bearer s3cret"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Theory]
    [InlineData("seconds=abc", "invalid value for \"seconds\" - must be a positive integer\n")]
    [InlineData("seconds=0", "invalid value for \"seconds\" - must be a positive integer\n")]
    [InlineData("debug=x", "invalid value for \"debug\" - must be a non-negative integer\n")]
    [InlineData("debug=1", "invalid value for \"debug\" - the viewer shows the profile itself; allocs?debug=1 has the text\n")]
    [InlineData("si=cpu", "invalid value for \"si\" - the profile's sample types are alloc_objects, alloc_space, inuse_objects, inuse_space\n")]
    public void Bad_queries_get_the_same_clear_400s_as_the_profiles_own_paths(string query, string body)
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(Get("/debug/pprof/ui/allocs", query));

        Assert.Equal((HttpStatusCode.BadRequest, body), (reply.Status, Encoding.UTF8.GetString(reply.Body)));
        Assert.Contains(new KeyValuePair<string, string>("X-Go-Pprof", "1"), reply.Headers);
    }

    [Theory]
    [InlineData("/debug/pprof/ui/nothing")]
    [InlineData("/debug/pprof/ui/trace")]
    [InlineData("/debug/pprof/ui/allocs/more")]
    public void What_is_not_a_profile_is_404(string path)
    {
        using var dispatcher = Dispatcher(token: null);

        using var reply = dispatcher.Serve(Get(path));

        Assert.Equal((HttpStatusCode.NotFound, "Unknown profile\n"), (reply.Status, Encoding.UTF8.GetString(reply.Body)));
    }

    [Fact]
    public void A_routes_error_reply_is_the_viewers_reply_and_other_methods_are_405()
    {
        using var dispatcher = Dispatcher(token: null, Route("heap", (_, _) => PprofReply.Error(HttpStatusCode.ServiceUnavailable, "Could not collect profile: no snapshot")));

        using var unavailable = dispatcher.Serve(Get("/debug/pprof/ui/heap"));
        using var posted = dispatcher.Serve(new PprofRequest("POST", "", "/debug/pprof/ui/allocs", "", _ => null, null));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Could not collect profile: no snapshot\n"), (unavailable.Status, Encoding.UTF8.GetString(unavailable.Body)));
        Assert.Single(unavailable.Headers, header => header.Key == "X-Go-Pprof");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.Status);
    }

    private static Pprof.Proto.Profile Allocs()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample([Concat, Main], [1, 1_000, 0, 0]);
        return builder.Build();
    }

    /// <summary>allocs answers a profile and, as the real one, a 400 for a bad seconds; profile, trace and cmdline answer nothing the viewer shows.</summary>
    private static PprofDispatcher Dispatcher(PprofAccessToken? token, params PprofRoute[] extra)
    {
        var routes = new List<PprofRoute>(extra);
        if (routes.All(route => route.Name != "allocs"))
        {
            routes.Add(Route("allocs", (request, _) =>
            {
                if (request.Query.HasSeconds) request.Query.Window(PprofQuery.DefaultSeconds, 300, out string? _);
                return PprofReply.Attachment("allocs", ProfileSerializer.ToGzipBytes(Allocs()));
            }));
        }

        routes.Add(Route("profile", (_, _) => PprofReply.Attachment("profile", ProfileSerializer.ToGzipBytes(Allocs()))));
        routes.Add(Route("trace", (_, _) => throw new InvalidOperationException("the viewer must not ask for a trace")));
        routes.Add(Route("cmdline", (_, _) => PprofReply.Text("app", "text/plain")));
        return new PprofDispatcher(routes, token);
    }

    private static PprofRoute Route(string name, PprofHandler handler) => new(name, "the " + name + " profile", PprofRoute.NoCount, handler);

    private static PprofRequest Get(string path, string query = "", string? authorization = null) =>
        new("GET", "", path, query, name => name == "Authorization" ? authorization : null, null);
}
