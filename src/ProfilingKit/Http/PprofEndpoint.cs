using System.Collections.Concurrent;
using System.Net;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.Http;

/// <summary>
/// The /debug/pprof/ HTTP endpoint on the BCL's HttpListener. One thread accepts; a small fixed set
/// of profiler threads serves, so requests run side by side (a 30 s CPU profile does not hold up the
/// index), the endpoint's own work is filtered out of the profiles, and no request ever runs on the
/// app's threads or starts a thread of its own.
/// </summary>
internal sealed class PprofEndpoint : IDisposable
{
    /// <summary>Requests served at the same time.</summary>
    public const int Workers = 4;

    /// <summary>Requests that may wait for a worker; more than that get 503 at once.</summary>
    public const int QueueLimit = 256;

    private const string Prefix = "/debug/pprof/";

    private readonly HttpListener _listener;
    private readonly PprofAccessToken? _token;
    private readonly IReadOnlyDictionary<string, PprofRoute> _routes;
    private readonly IReadOnlyList<PprofRoute> _indexRows;
    private readonly BlockingCollection<HttpListenerContext> _queue = new(QueueLimit);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _acceptor;
    private readonly Thread[] _workers;

    private PprofEndpoint(HttpListener listener, RuntimeProfiler profiler, ProfilerThreads threads, PprofEndpointSettings settings)
    {
        _listener = listener;
        _token = settings.Token;

        // The one table of paths. A new profile is one line here; the index lists every row in name order, as Go's does.
        var deltas = new DeltaProfiles(settings.MaxProfileSeconds);
        var allocs = new MemoryProfileHandler("allocs", profiler.TryGetAllocationProfile, profiler.TryGetAllocationDelta, deltas);
        var heap = new MemoryProfileHandler("heap", profiler.TryGetHeapProfile, profiler.TryGetHeapDelta, deltas);
        var threadTime = new ThreadTimeHandler(profiler, settings.MaxProfileSeconds);
        var commandLine = new CommandLineHandler(settings.ExposeCommandLine);
        var symbol = new SymbolHandler(profiler.ResolveMethod);
        var goroutine = new GoroutineHandler(profiler, deltas);
        var contention = new ContentionHandler(profiler, deltas);
        var threadCreate = new ThreadCreateHandler(profiler, deltas);
        var trace = new TraceHandler(profiler, settings.MaxProfileSeconds);
        var routes = new[]
        {
            new PprofRoute("allocs", "A sampling of all past memory allocations", () => profiler.AllocationStackCount, allocs.Serve),
            new PprofRoute("block", "Stack traces that led to waiting on contended locks (every contention the .NET runtime reports)", () => profiler.ContentionStackCount(mutex: false), contention.ServeBlock),
            new PprofRoute("cmdline", commandLine.Description, PprofRoute.NoCount, commandLine.Serve),
            new PprofRoute("goroutine", "Stack traces of all current managed threads (a goroutine is a thread here). Use debug=2 as a query parameter to export in the same format as an unrecovered panic.", () => profiler.ManagedThreadCount, goroutine.Serve),
            new PprofRoute(
                "heap",
                "A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC before taking the heap sample. " +
                "(ProfilingKit: every request takes a heap snapshot, which is itself a blocking full GC, so gc=1 changes nothing.)",
                () => profiler.AllocationStackCount,
                heap.Serve),
            new PprofRoute("mutex", "Stack traces of waiters on contended managed locks (Monitor, lock, System.Threading.Lock); .NET reports no holder stacks", () => profiler.ContentionStackCount(mutex: true), contention.ServeMutex),
            new PprofRoute(
                "profile",
                "CPU profile of managed code. You can specify the duration in the seconds GET parameter. After you get the profile file, use the go tool pprof command to investigate the profile.",
                PprofRoute.NoCount,
                threadTime.ServeCpu),
            new PprofRoute("symbol", "Maps code addresses (GET query or POST body 0xADDR+0xADDR) to managed method names", PprofRoute.NoCount, symbol.Serve),
            new PprofRoute("threadcreate", "Stack traces that led to the creation of the managed threads alive now", () => profiler.ManagedThreadCount, threadCreate.Serve),
            new PprofRoute("trace", "A raw .nettrace of the runtime's events (CPU samples, GC, contention, loader, JIT). You can specify the duration in the seconds GET parameter. Open it with dotnet-trace convert, or PerfView on Windows.", PprofRoute.NoCount, trace.Serve),
            new PprofRoute(
                "wall",
                "Wall-clock profile of every managed thread, running, waiting or in native code (like Go's fgprof). You can specify the duration in the seconds GET parameter.",
                PprofRoute.NoCount,
                threadTime.ServeWall),
        };
        _routes = routes.ToDictionary(route => route.Name, StringComparer.Ordinal);
        _indexRows = routes.OrderBy(route => route.Name, StringComparer.Ordinal).ToList();

        _workers = Enumerable.Range(1, Workers).Select(i => threads.Start($"ProfilingKit pprof worker {i}", Work)).ToArray();
        _acceptor = threads.Start("ProfilingKit pprof endpoint", Accept);
    }

    /// <summary>How long a profile request waits for sampling that is still starting.</summary>
    public static TimeSpan StartWait { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Binds the address and starts serving; throws <see cref="HttpListenerException"/> when the address is taken.</summary>
    public static PprofEndpoint Start(PprofAddress address, RuntimeProfiler profiler, ProfilerThreads threads, PprofEndpointSettings settings)
    {
        var listener = new HttpListener { IgnoreWriteExceptions = true };
        listener.Prefixes.Add(address.ListenerPrefix);
        listener.Start();
        return new PprofEndpoint(listener, profiler, threads, settings);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        _acceptor.Join(TimeSpan.FromSeconds(5));
        _queue.CompleteAdding();
        foreach (var worker in _workers) worker.Join(TimeSpan.FromSeconds(5));
    }

    private void Accept()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed by Dispose
            }

            if (!_queue.TryAdd(context))
            {
                Respond(context, (_, response) => PprofResponses.Error(
                    response,
                    HttpStatusCode.ServiceUnavailable,
                    $"too many requests: {Workers} are being served and {QueueLimit} are waiting; try again in a moment"));
            }
        }
    }

    private void Work()
    {
        try
        {
            foreach (var context in _queue.GetConsumingEnumerable())
            {
                Respond(context, Handle);
            }
        }
        catch (ObjectDisposedException)
        {
            // Stopped while waiting for work.
        }
    }

    /// <summary>Runs <paramref name="handle"/> and always closes the response; nothing it throws leaves this method.</summary>
    private static void Respond(HttpListenerContext context, Action<HttpListenerRequest, HttpListenerResponse> handle)
    {
        try
        {
            handle(context.Request, context.Response);
        }
        catch (PprofRequestException e)
        {
            TryRespondError(context.Response, e.Status, e.Message);
        }
        catch (Exception e)
        {
            ProfilingKitLog.Warn($"a request for {context.Request.Url?.AbsolutePath} failed: {e.GetType().Name}: {e.Message}");
            TryRespondError(context.Response, HttpStatusCode.InternalServerError, $"ProfilingKit failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception)
            {
                // The client went away; nothing to tell it.
            }
        }
    }

    private void Handle(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (_token is not null && !_token.Allows(request))
        {
            response.Headers["WWW-Authenticate"] = "Basic realm=\"ProfilingKit pprof\", charset=\"UTF-8\"";
            throw new PprofRequestException(
                HttpStatusCode.Unauthorized,
                $"Unauthorized: this endpoint needs the token of {PprofEndpointSettings.TokenVariable}, as 'Authorization: Bearer <token>' or as a basic-auth password (go tool pprof http://pprof:<token>@host:port/debug/pprof/...)");
        }

        var path = request.Url?.AbsolutePath ?? "/";
        if (path == "/debug/pprof")
        {
            response.Redirect(Prefix);
            return;
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new PprofRequestException(HttpStatusCode.NotFound, "404 page not found");
        }

        var name = path.Substring(Prefix.Length);
        if (name.Length == 0)
        {
            PprofResponses.Text(response, PprofIndexPage.Render(_indexRows), "text/html; charset=utf-8");
            return;
        }

        if (!_routes.TryGetValue(name, out var route)) throw new PprofRequestException(HttpStatusCode.NotFound, "Unknown profile");
        route.Serve(request, response, _stopping.Token);
    }

    private static void TryRespondError(HttpListenerResponse response, HttpStatusCode status, string message)
    {
        try
        {
            PprofResponses.Error(response, status, message);
        }
        catch (Exception)
        {
            // Headers already sent or the client is gone.
        }
    }
}
