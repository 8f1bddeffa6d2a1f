using System.Net;

namespace ProfilingKit.Http;

/// <summary>
/// Serves one path under /debug/pprof/. Throws <see cref="PprofRequestException"/> for a Go-style
/// error; <paramref name="stopping"/> ends long waits when the endpoint stops.
/// </summary>
internal delegate void PprofHandler(HttpListenerRequest request, HttpListenerResponse response, CancellationToken stopping);
