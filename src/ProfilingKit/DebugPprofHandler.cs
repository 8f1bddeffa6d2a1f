using System.Net;
using ProfilingKit.Http;

namespace ProfilingKit;

/// <summary>
/// Serves the profiles through a host of the app's own (<see cref="DebugPprof.CreateHandler"/>): the
/// same dispatcher as the standalone listener, run on ProfilingKit's own worker threads (so the
/// endpoint's work is not the app's, and a 30 s profile blocks none of the server's threads), with
/// the reply written back asynchronously.
/// </summary>
public sealed class DebugPprofHandler : IDisposable
{
    /// <summary>The largest request body read (only <c>symbol</c> takes one); the rest is not read.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private readonly PprofEndpointSettings _settings;
    private readonly Func<RuntimeProfiler?> _profiler;
    private readonly object _gate = new();
    private RuntimeProfiler? _servedProfiler;
    private PprofDispatcher? _dispatcher;
    private PprofWorkers? _workers;

    internal DebugPprofHandler(PprofEndpointSettings settings, Func<RuntimeProfiler?> profiler)
    {
        _settings = settings;
        _profiler = profiler;
    }

    /// <summary>Answers <paramref name="exchange"/>. Never throws for a bad request or an unavailable profile: those are replies.</summary>
    public async Task ServeAsync(DebugPprofExchange exchange)
    {
        if (exchange is null) throw new ArgumentNullException(nameof(exchange));

        if (Current() is not { } current)
        {
            await WriteAsync(exchange, PprofReply.Error(HttpStatusCode.ServiceUnavailable, "Could not collect profile: ProfilingKit is not sampling in this process (EnableDebugPprof is off, or PROFILINGKIT_PPROF_ADDRESS=off)")).ConfigureAwait(false);
            return;
        }

        var (dispatcher, workers) = current;
        var body = exchange.Method == "POST" && exchange.RequestBody is { } requestBody ? await ReadBodyAsync(requestBody, exchange.Aborted).ConfigureAwait(false) : null;
        var request = new PprofRequest(exchange.Method, exchange.PathBase, exchange.Path, exchange.Query, exchange.GetHeader, body, exchange.Aborted);
        var answered = new TaskCompletionSource<PprofReply?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = workers.TryQueue(() =>
        {
            try
            {
                var reply = dispatcher.Serve(request);
                if (!reply.IsStreamed)
                {
                    answered.SetResult(reply);
                    return;
                }

                // A streamed body (a trace) is written as it comes, for its whole window: here, on the worker.
                using (reply)
                {
                    Start(exchange, reply);
                    reply.WriteStreamedBody(new BlockingWriteStream(exchange.ResponseBody));
                }

                answered.SetResult(null);
            }
            catch (Exception e)
            {
                answered.TrySetException(e);
            }
        });
        if (!queued)
        {
            await WriteAsync(exchange, PprofReply.Error(HttpStatusCode.ServiceUnavailable, PprofWorkers.BusyMessage)).ConfigureAwait(false);
            return;
        }

        if (await answered.Task.ConfigureAwait(false) is { } answer) await WriteAsync(exchange, answer).ConfigureAwait(false);
    }

    /// <summary>Stops the handler's workers; requests in progress end their waits.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _dispatcher?.Dispose();
            _workers?.Dispose();
            _dispatcher = null;
            _workers = null;
        }
    }

    /// <summary>The dispatcher of the profiler that samples now, made once per profiler; null when none samples.</summary>
    private (PprofDispatcher Dispatcher, PprofWorkers Workers)? Current()
    {
        var profiler = _profiler();
        if (profiler is null) return null;

        lock (_gate)
        {
            if (!ReferenceEquals(profiler, _servedProfiler) || _dispatcher is null || _workers is null)
            {
                _dispatcher?.Dispose();
                _workers?.Dispose();
                _dispatcher = PprofDispatcher.For(profiler, _settings);
                _workers = new PprofWorkers(profiler.Sessions.Threads);
                _servedProfiler = profiler;
            }

            return (_dispatcher, _workers);
        }
    }

    private static async Task<Stream> ReadBodyAsync(Stream body, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxBodyBytes && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxBodyBytes - buffer.Length)), cancel).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    private static async Task WriteAsync(DebugPprofExchange exchange, PprofReply reply)
    {
        using (reply)
        {
            Start(exchange, reply);
            try
            {
                await exchange.ResponseBody.WriteAsync(reply.Body, exchange.Aborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away.
            }
        }
    }

    private static void Start(DebugPprofExchange exchange, PprofReply reply) =>
        exchange.StartResponse((int)reply.Status, reply.ContentType, reply.IsStreamed ? null : reply.Body.Length, reply.Headers);

    /// <summary>
    /// A stream whose synchronous writes wait for the host's asynchronous ones: ASP.NET Core refuses
    /// synchronous I/O on its own threads, and this runs on a ProfilingKit worker, where waiting is fine.
    /// </summary>
    private sealed class BlockingWriteStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush() => inner.FlushAsync().GetAwaiter().GetResult();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
