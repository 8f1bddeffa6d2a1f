namespace ProfilingKit.Http;

/// <summary>
/// Serves one path under /debug/pprof/: the request in, the reply out. Throws
/// <see cref="PprofRequestException"/> for a Go-style error; <paramref name="cancel"/> ends long
/// waits when the endpoint stops.
/// </summary>
internal delegate PprofReply PprofHandler(PprofRequest request, CancellationToken cancel);
