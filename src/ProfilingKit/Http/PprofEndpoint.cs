using System.Globalization;
using System.Net;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.Http;

/// <summary>
/// The /debug/pprof/ HTTP endpoint on the BCL's HttpListener, served from one profiler thread so
/// that its own work is filtered out of the profiles and never runs on the app's threads.
/// </summary>
internal sealed class PprofEndpoint : IDisposable
{
    private const string Prefix = "/debug/pprof/";

    private static readonly PprofProfileInfo AllocsInfo = new("allocs", 0, "A sampling of all past memory allocations");

    private readonly HttpListener _listener;
    private readonly RuntimeProfiler _profiler;
    private readonly Thread _thread;

    private PprofEndpoint(HttpListener listener, RuntimeProfiler profiler, ProfilerThreads threads)
    {
        _listener = listener;
        _profiler = profiler;
        _thread = threads.Start("ProfilingKit pprof endpoint", Serve);
    }

    /// <summary>How long a profile request waits for sampling that is still starting.</summary>
    public static TimeSpan StartWait { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Binds the address and starts serving; throws <see cref="HttpListenerException"/> when the address is taken.</summary>
    public static PprofEndpoint Start(PprofAddress address, RuntimeProfiler profiler, ProfilerThreads threads)
    {
        var listener = new HttpListener { IgnoreWriteExceptions = true };
        listener.Prefixes.Add(address.ListenerPrefix);
        listener.Start();
        return new PprofEndpoint(listener, profiler, threads);
    }

    public void Dispose()
    {
        try
        {
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Serve()
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

            try
            {
                Handle(context.Request, context.Response);
            }
            catch (Exception e)
            {
                ProfilingKitLog.Warn($"a request for {context.Request.Url?.AbsolutePath} failed: {e.GetType().Name}: {e.Message}");
                TryRespondError(context.Response, e);
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
    }

    private void Handle(HttpListenerRequest request, HttpListenerResponse response)
    {
        var path = request.Url?.AbsolutePath ?? "/";
        if (path == "/debug/pprof")
        {
            response.Redirect(Prefix);
            return;
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            PprofResponses.Error(response, HttpStatusCode.NotFound, "404 page not found");
            return;
        }

        var name = path.Substring(Prefix.Length);
        switch (name)
        {
            case "":
                PprofResponses.Text(response, PprofIndexPage.Render(new[] { AllocsInfo, HeapProfileRequest.Info }), "text/html; charset=utf-8");
                break;
            case "allocs":
                ServeAllocs(request, response);
                break;
            case "heap":
                HeapProfileRequest.Serve(request, response, _profiler);
                break;
            default:
                PprofResponses.Error(response, HttpStatusCode.NotFound, "Unknown profile");
                break;
        }
    }

    private void ServeAllocs(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (!TryReadNonNegativeInt(request, "debug", out var debug, out var error)
            || !TryRejectSeconds(request, out error))
        {
            PprofResponses.Error(response, HttpStatusCode.BadRequest, error!);
            return;
        }

        var profile = _profiler.TryGetAllocationProfile(StartWait, out var unavailable);
        MemoryProfileResponse.Write(response, "allocs", debug, profile, unavailable);
    }

    internal static bool TryReadNonNegativeInt(HttpListenerRequest request, string name, out int value, out string? error)
    {
        value = 0;
        error = null;
        var text = request.QueryString[name];
        if (string.IsNullOrEmpty(text)) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;

        error = $"invalid value for \"{name}\" - must be a non-negative integer";
        return false;
    }

    internal static bool TryRejectSeconds(HttpListenerRequest request, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(request.QueryString["seconds"])) return true;

        error = "\"seconds\" (delta profiles) is not supported by this version of ProfilingKit; fetch without it for all allocations since start";
        return false;
    }

    private static void TryRespondError(HttpListenerResponse response, Exception e)
    {
        try
        {
            PprofResponses.Error(response, HttpStatusCode.InternalServerError, $"ProfilingKit failed: {e.GetType().Name}: {e.Message}");
        }
        catch (Exception)
        {
            // Headers already sent or the client is gone.
        }
    }
}
