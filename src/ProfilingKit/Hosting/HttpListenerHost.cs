using System.Net;
using ProfilingKit.Diagnostics;
using ProfilingKit.Http;

namespace ProfilingKit.Hosting;

/// <summary>
/// The standalone endpoint on the BCL's HttpListener: one thread accepts, the workers serve, and
/// each request is handed to the dispatcher and its reply written back. Nothing here knows a profile.
/// </summary>
internal sealed class HttpListenerHost : IDisposable
{
    private readonly HttpListener _listener;
    private readonly PprofDispatcher _dispatcher;
    private readonly PprofWorkers _workers;
    private readonly Thread _acceptor;

    private HttpListenerHost(HttpListener listener, PprofDispatcher dispatcher, ProfilerThreads threads)
    {
        _listener = listener;
        _dispatcher = dispatcher;
        _workers = new PprofWorkers(threads);
        _acceptor = threads.Start("ProfilingKit pprof endpoint", Accept);
    }

    /// <summary>Binds <paramref name="address"/> and starts serving; throws <see cref="HttpListenerException"/> when the address is taken.</summary>
    public static HttpListenerHost Start(PprofAddress address, PprofDispatcher dispatcher, ProfilerThreads threads)
    {
        var listener = new HttpListener { IgnoreWriteExceptions = true };
        listener.Prefixes.Add(address.ListenerPrefix);
        listener.Start();
        return new HttpListenerHost(listener, dispatcher, threads);
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        try
        {
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        _acceptor.Join(TimeSpan.FromSeconds(5));
        _workers.Dispose();
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

            if (!_workers.TryQueue(() => Respond(context, _dispatcher.Serve(RequestOf(context.Request)))))
            {
                Respond(context, PprofReply.Error(HttpStatusCode.ServiceUnavailable, PprofWorkers.BusyMessage));
            }
        }
    }

    private static PprofRequest RequestOf(HttpListenerRequest request) =>
        new(request.HttpMethod, pathBase: "", request.Url?.AbsolutePath ?? "/", (request.Url?.Query ?? string.Empty).TrimStart('?'), name => request.Headers[name], request.HasEntityBody ? request.InputStream : null);

    /// <summary>Writes <paramref name="reply"/> and always closes the response; nothing it throws leaves this method.</summary>
    private static void Respond(HttpListenerContext context, PprofReply reply)
    {
        using (reply)
        {
            var response = context.Response;
            try
            {
                response.StatusCode = (int)reply.Status;
                foreach (var (name, value) in reply.Headers) response.Headers[name] = value;
                if (reply.ContentType is not null) response.ContentType = reply.ContentType;
                if (reply.IsStreamed)
                {
                    response.SendChunked = true;
                    reply.WriteStreamedBody(response.OutputStream);
                }
                else
                {
                    response.ContentLength64 = reply.Body.Length;
                    response.OutputStream.Write(reply.Body);
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away; nothing to tell it.
            }
            finally
            {
                try
                {
                    response.Close();
                }
                catch (Exception)
                {
                    // Already closed, or the client is gone.
                }
            }
        }
    }
}
