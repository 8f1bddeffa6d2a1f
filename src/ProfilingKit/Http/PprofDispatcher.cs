using System.Net;
using ProfilingKit.Diagnostics;
using ProfilingKit.Profiles;

namespace ProfilingKit.Http;

/// <summary>
/// The endpoint, whatever server carries it: Go's <c>handler.ServeHTTP</c> over one table of paths.
/// It takes a request and gives a reply (status, headers, body); checking the token, routing, Go's
/// error texts and status codes all happen here once, so a host only moves bytes. Never throws: a
/// failure is a reply, and the host app never sees it.
/// </summary>
internal sealed class PprofDispatcher : IDisposable
{
    /// <summary>Where the profiles are, as in Go.</summary>
    public const string BasePath = "/debug/pprof";

    private const string Prefix = BasePath + "/";

    private readonly PprofAccessToken? _token;
    private readonly IReadOnlyDictionary<string, PprofRoute> _routes;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PprofViewer _viewer;

    public PprofDispatcher(IReadOnlyList<PprofRoute> routes, PprofAccessToken? token)
    {
        _token = token;
        _routes = routes.ToDictionary(route => route.Name, StringComparer.Ordinal);
        Routes = routes.OrderBy(route => route.Name, StringComparer.Ordinal).ToList();
        _viewer = new PprofViewer(Routes);
    }

    /// <summary>Every path, in name order as Go's index lists them.</summary>
    public IReadOnlyList<PprofRoute> Routes { get; }

    /// <summary>The one table of paths: a new profile is one line here.</summary>
    public static PprofDispatcher For(RuntimeProfiler profiler, PprofEndpointSettings settings)
    {
        var deltaSlots = ProfileHandler.CreateDeltaSlots();
        var threadTime = new ThreadTimeHandler(profiler.ThreadTime, settings.MaxProfileSeconds, settings.CpuSlice);
        var commandLine = new CommandLineHandler(settings.ExposeCommandLine, profiler.Sessions.Target.CommandLine);
        var symbol = new SymbolHandler(profiler.Names.ResolveMethod);
        var trace = new TraceHandler(profiler.Sessions, settings.MaxProfileSeconds);
        var routes = new List<PprofRoute>
        {
            new("cmdline", commandLine.Description, PprofRoute.NoCount, commandLine.Serve),
            new("profile", ThreadTimeHandler.CpuDescription, PprofRoute.NoCount, threadTime.ServeCpu),
            new("symbol", SymbolHandler.Description, PprofRoute.NoCount, symbol.Serve),
            new("trace", TraceHandler.Description, PprofRoute.NoCount, trace.Serve),
            new("wall", ThreadTimeHandler.WallDescription, PprofRoute.NoCount, threadTime.ServeWall),
        };
        foreach (var source in profiler.Sources)
        {
            routes.Add(new PprofRoute(source.Name, source.Description, () => source.Count, new ProfileHandler(source, deltaSlots, settings.MaxProfileSeconds).Serve));
        }

        return new PprofDispatcher(routes, settings.Token);
    }

    /// <summary>
    /// The reply to <paramref name="request"/>. Long waits end when the request is aborted or the
    /// dispatcher disposed; the reply holds that cancellation until it is disposed, since a streamed
    /// body still waits on it after this returns.
    /// </summary>
    public PprofReply Serve(PprofRequest request)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted, _stopping.Token);
        var reply = Answer(request, cancel.Token);
        reply.Holds(cancel);
        return reply;
    }

    /// <summary>Ends the waits of requests in progress (windows, deltas): the endpoint is stopping.</summary>
    public void Dispose() => _stopping.Cancel();

    private PprofReply Answer(PprofRequest request, CancellationToken cancel)
    {
        try
        {
            return Route(request, cancel);
        }
        catch (PprofRequestException e)
        {
            return PprofReply.Error(e.Status, e.Message, e.Headers);
        }
        catch (ProfilingUnavailableException e)
        {
            return PprofReply.Error(HttpStatusCode.ServiceUnavailable, "Could not collect profile: " + e.Message);
        }
        catch (Exception e)
        {
            ProfilingKitLog.WarnRepeating("pprof-failure", $"a request for {request.Path} failed: {e.GetType().Name}: {e.Message}");
            return PprofReply.Error(HttpStatusCode.InternalServerError, $"ProfilingKit failed ({e.GetType().Name}); the app's log has the details");
        }
    }

    /// <summary>
    /// GET and HEAD everywhere, POST only for <c>symbol</c> (as pprof posts addresses): a web page's
    /// form cannot start a 300 s profile or a heap snapshot on a developer's machine.
    /// </summary>
    private static void CheckMethod(string method, string name)
    {
        if (method is "GET" or "HEAD" || (method == "POST" && name == "symbol")) return;

        var allowed = name == "symbol" ? "GET, HEAD, POST" : "GET, HEAD";
        throw new PprofRequestException(HttpStatusCode.MethodNotAllowed, $"Method Not Allowed: this path answers {allowed}", new KeyValuePair<string, string>("Allow", allowed));
    }

    private PprofReply Route(PprofRequest request, CancellationToken cancel)
    {
        if (_token is not null && !_token.Allows(request.Header("Authorization")))
        {
            throw new PprofRequestException(
                HttpStatusCode.Unauthorized,
                $"Unauthorized: this endpoint needs the token of {PprofEndpointSettings.TokenVariable}, as 'Authorization: Bearer <token>' or as a basic-auth password (go tool pprof http://pprof:<token>@host:port/debug/pprof/...)",
                new KeyValuePair<string, string>("WWW-Authenticate", "Basic realm=\"ProfilingKit pprof\", charset=\"UTF-8\""));
        }

        // Mounted where the host says (MapDebugPprof), or at Go's /debug/pprof.
        var (mount, path) = request.PathBase.Length > 0 ? (request.PathBase, request.Path) : (BasePath, request.Path);
        if (request.PathBase.Length == 0)
        {
            if (path != BasePath && !path.StartsWith(Prefix, StringComparison.Ordinal)) throw new PprofRequestException(HttpStatusCode.NotFound, "404 page not found");
            path = path.Substring(BasePath.Length);
        }

        var name = path.Length == 0 ? "" : path.Substring(1);
        if (name == PprofViewer.Name || name.StartsWith(PprofViewer.Name + "/", StringComparison.Ordinal))
        {
            CheckMethod(request.Method, PprofViewer.Name);
            if (name == PprofViewer.Name) return PprofReply.Redirect(mount + "/" + PprofViewer.Name + "/");
            return _viewer.Serve(name.Substring(PprofViewer.Name.Length + 1), request, cancel);
        }

        if (!_routes.TryGetValue(name, out var route) && name.Length > 0) throw new PprofRequestException(HttpStatusCode.NotFound, "Unknown profile");

        CheckMethod(request.Method, name);
        if (path.Length == 0) return PprofReply.Redirect(mount + "/");
        if (route is null) return PprofReply.Text(PprofIndexPage.Render(Routes), "text/html; charset=utf-8");

        return route.Handle(request, cancel);
    }
}
