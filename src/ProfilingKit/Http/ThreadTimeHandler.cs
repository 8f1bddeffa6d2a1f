using System.Net;
using ProfilingKit.Cpu;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Http;

/// <summary>
/// <c>profile</c> (CPU: managed code on CPU) and <c>wall</c> (every thread, running or not), both
/// <c>?seconds=N</c> windows of the runtime's SampleProfiler. Go allows one CPU profile at a time; here
/// each window runs its own sessions, so up to <see cref="ThreadTimeProfiler.MaxConcurrentWindows"/>
/// may overlap (two scrapers, one whose scrapes overlap, the listener and MapDebugPprof) and only one
/// more gets Go's 500.
/// </summary>
internal sealed class ThreadTimeHandler
{
    /// <summary>Go's text when the CPU profiler is taken (pprof.go, StartCPUProfile's error).</summary>
    public const string BusyMessage = "Could not enable CPU profiling: cpu profiling already in use";

    public const string CpuDescription =
        "CPU profile of managed code. You can specify the duration in the seconds GET parameter. After you get the profile file, use the go tool pprof command to investigate the profile.";

    public const string WallDescription =
        "Wall-clock profile of every managed thread, running, waiting or in native code (like Go's fgprof). You can specify the duration in the seconds GET parameter.";

    private readonly ThreadTimeProfiler _profiler;
    private readonly int _maxSeconds;
    private readonly TimeSpan _slice;

    public ThreadTimeHandler(ThreadTimeProfiler profiler, int maxSeconds, TimeSpan slice)
    {
        _profiler = profiler;
        _maxSeconds = maxSeconds;
        _slice = slice;
    }

    public PprofReply ServeCpu(PprofRequest request, CancellationToken cancel) => Serve("profile", _profiler.TryCollectCpu, _profiler.Cpu, request, cancel);

    public PprofReply ServeWall(PprofRequest request, CancellationToken cancel) => Serve("wall", _profiler.TryCollect, _profiler.Wall, request, cancel);

    private PprofReply Serve(
        string name,
        Func<TimeSpan, TimeSpan, CancellationToken, ThreadSamples?> collect,
        Func<ThreadSamples, string?, Profile> build,
        PprofRequest request,
        CancellationToken cancel)
    {
        var window = request.Query.Window(PprofQuery.DefaultSeconds, _maxSeconds, out var note);
        ThreadSamples samples;
        try
        {
            samples = collect(window, _slice, cancel) ?? throw new PprofRequestException(HttpStatusCode.InternalServerError, BusyMessage);
        }
        catch (ProfilingUnavailableException e)
        {
            throw new PprofRequestException(HttpStatusCode.ServiceUnavailable, "Could not enable CPU profiling: " + e.Message);
        }

        return PprofReply.Attachment(name, ProfileSerializer.ToGzipBytes(build(samples, note)));
    }
}
