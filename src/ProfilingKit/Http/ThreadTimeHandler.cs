using System.Net;
using ProfilingKit.Cpu;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>
/// <c>profile</c> (CPU: managed code on CPU) and <c>wall</c> (every thread, running or not), both
/// <c>?seconds=N</c> windows of the runtime's SampleProfiler. They share the process's one
/// CPU/trace session slot, as Go allows one CPU profile at a time.
/// </summary>
internal sealed class ThreadTimeHandler
{
    /// <summary>Go's text when the CPU profiler is taken (pprof.go, StartCPUProfile's error).</summary>
    public const string BusyMessage = "Could not enable CPU profiling: cpu profiling already in use";

    private readonly RuntimeProfiler _profiler;
    private readonly int _maxSeconds;

    public ThreadTimeHandler(RuntimeProfiler profiler, int maxSeconds)
    {
        _profiler = profiler;
        _maxSeconds = maxSeconds;
    }

    public void ServeCpu(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping) =>
        Serve("profile", _profiler.BuildCpuProfile, request, response, stopping);

    public void ServeWall(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping) =>
        Serve("wall", _profiler.BuildWallProfile, request, response, stopping);

    private void Serve(
        string name,
        Func<ThreadSamples, string?, Profile> build,
        HttpListenerRequest request,
        HttpListenerResponse response,
        CancellationToken stopping)
    {
        var window = PprofQuery.Window(request, PprofQuery.DefaultSeconds, _maxSeconds, out var note);
        if (!_profiler.TryTakeExclusiveSession()) throw new PprofRequestException(HttpStatusCode.InternalServerError, BusyMessage);

        ThreadSamples samples;
        try
        {
            samples = _profiler.CollectThreadSamples(window, stopping);
        }
        catch (ProfilingUnavailableException e)
        {
            throw new PprofRequestException(HttpStatusCode.ServiceUnavailable, "Could not enable CPU profiling: " + e.Message);
        }
        finally
        {
            _profiler.ReleaseExclusiveSession();
        }

        PprofResponses.Profile(response, name, ProfileSerializer.ToGzipBytes(build(samples, note)));
    }
}
