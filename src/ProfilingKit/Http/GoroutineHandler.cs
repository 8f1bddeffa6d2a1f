using System.Net;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Threads;

namespace ProfilingKit.Http;

/// <summary>
/// <c>goroutine</c>: the stack of every managed thread now, from one pass of the runtime's sampler;
/// debug=0 a <c>goroutine/count</c> profile, debug=1 Go's text grouped by stack, debug=2 one block
/// per thread; <c>seconds=N</c> a delta of two snapshots, as Go's.
/// </summary>
internal sealed class GoroutineHandler
{
    /// <summary>What a goroutine is here, and what cannot be seen: in the profile's comment and the text's first lines.</summary>
    public const string Note =
        "ProfilingKit: one goroutine per managed thread (id = OS thread id), its stack from one pass of the runtime's SampleProfiler. " +
        "Tasks parked in await are not on any thread and have no stack, so they do not appear; the profiler's own threads are left out.";

    private readonly RuntimeProfiler _profiler;
    private readonly DeltaProfiles _deltas;

    public GoroutineHandler(RuntimeProfiler profiler, DeltaProfiles deltas)
    {
        _profiler = profiler;
        _deltas = deltas;
    }

    public void Serve(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping)
    {
        if (PprofQuery.HasSeconds(request))
        {
            _deltas.Serve("goroutine", request, response, stopping, (TimeSpan _, TimeSpan window, CancellationToken cancel, out string? error) =>
            {
                error = null;
                var start = Profile(Collect(cancel));
                cancel.WaitHandle.WaitOne(window);
                return ProfileDelta.Compute(start, Profile(Collect(cancel)));
            });
            return;
        }

        var debug = PprofQuery.Debug(request);
        var threads = Collect(stopping);
        switch (debug)
        {
            case 0:
                PprofResponses.Profile(response, "goroutine", ProfileSerializer.ToGzipBytes(Profile(threads)));
                break;
            case 1:
                PprofResponses.Text(response, CountProfileText.Render("goroutine", StackCounter.Of(threads.Select(t => t.Stack)), _profiler.Locate, new[] { Note }, Array.Empty<(string, long)>()), "text/plain; charset=utf-8");
                break;
            default:
                PprofResponses.Text(response, GoroutineDumpText.Render(threads, _profiler.Locate, new[] { Note }), "text/plain; charset=utf-8");
                break;
        }
    }

    private IReadOnlyList<ThreadStack> Collect(CancellationToken stopping)
    {
        try
        {
            return _profiler.CollectThreadStacks(stopping);
        }
        catch (ProfilingUnavailableException e)
        {
            throw PprofRequestException.CouldNotCollect(e.Message);
        }
    }

    private Profile Profile(IReadOnlyList<ThreadStack> threads) =>
        _profiler.BuildCountProfile("goroutine", StackCounter.Of(threads.Select(thread => thread.Stack)), Note);
}
