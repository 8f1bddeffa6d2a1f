using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Profiles;

namespace ProfilingKit.Http;

/// <summary>
/// Go's <c>handler.ServeHTTP</c> for the named profiles (allocs, block, goroutine, heap, mutex,
/// threadcreate): the profile now (debug=0 gzip proto, debug≥1 Go's legacy text), or with
/// <c>seconds=N</c> the delta of the next N seconds, named <c>&lt;name&gt;-delta</c> as Go names it.
/// At most <see cref="MaxConcurrentDeltas"/> deltas wait at once, so waiting deltas never hold every worker.
/// </summary>
internal sealed class ProfileHandler
{
    /// <summary>Deltas that may wait at the same time, across every profile; the endpoint keeps workers free for everything else.</summary>
    public const int MaxConcurrentDeltas = 2;

    private readonly ProfileSource _source;
    private readonly SemaphoreSlim _deltaSlots;
    private readonly int _maxSeconds;

    public ProfileHandler(ProfileSource source, SemaphoreSlim deltaSlots, int maxSeconds)
    {
        _source = source;
        _deltaSlots = deltaSlots;
        _maxSeconds = maxSeconds;
    }

    /// <summary>The slots shared by every profile's deltas.</summary>
    public static SemaphoreSlim CreateDeltaSlots() => new(MaxConcurrentDeltas, MaxConcurrentDeltas);

    public PprofReply Serve(PprofRequest request, CancellationToken cancel)
    {
        var query = request.Query;

        // Go reads gc on heap only. It is only checked here: a heap snapshot is a full GC already.
        if (_source.Name == "heap") query.NonNegativeInt("gc");

        var source = _source.For(query);
        return query.HasSeconds ? ServeDelta(source, query, cancel) : ServeNow(source, query.Debug);
    }

    private static PprofReply ServeNow(ProfileSource source, int debug)
    {
        using var body = new MemoryStream();
        source.WriteTo(body, debug);
        return debug == 0 ? PprofReply.Attachment(source.Name, body.ToArray()) : PprofReply.Content(body.ToArray(), "text/plain; charset=utf-8");
    }

    private PprofReply ServeDelta(ProfileSource source, PprofQuery query, CancellationToken cancel)
    {
        var window = query.Window(PprofQuery.DefaultSeconds, _maxSeconds, out var note);
        if (query.Debug != 0) throw new PprofRequestException(HttpStatusCode.BadRequest, "seconds and debug params are incompatible");

        if (!_deltaSlots.Wait(0))
        {
            throw new PprofRequestException(
                HttpStatusCode.ServiceUnavailable,
                $"too many delta profiles in progress (at most {MaxConcurrentDeltas} at a time); try again when one has finished");
        }

        Pprof.Proto.Profile delta;
        try
        {
            delta = source.Delta(window, cancel);
        }
        finally
        {
            _deltaSlots.Release();
        }

        if (note is not null)
        {
            delta.Comment.Add(delta.StringTable.Count);
            delta.StringTable.Add(note);
        }

        return PprofReply.Attachment(source.Name + "-delta", ProfileSerializer.ToGzipBytes(delta));
    }
}
