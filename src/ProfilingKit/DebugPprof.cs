using System.Net;
using ProfilingKit.Diagnostics;
using ProfilingKit.Hosting;
using ProfilingKit.Http;

namespace ProfilingKit;

/// <summary>
/// The Go-compatible <c>/debug/pprof/</c> endpoint: the .NET counterpart of Go's
/// <c>import _ "net/http/pprof"</c>. With <c>&lt;EnableDebugPprof&gt;true&lt;/EnableDebugPprof&gt;</c>
/// in an app's project file, a generated module initializer calls <see cref="Start(string?)"/> before Main.
/// </summary>
public static class DebugPprof
{
    /// <summary>The environment variable that overrides the address at run time; <c>off</c> disables the endpoint.</summary>
    public const string AddressVariable = "PROFILINGKIT_PPROF_ADDRESS";

    private static readonly object Gate = new();
    private static RuntimeProfiler? _profiler;
    private static HttpListenerHost? _endpoint;
    private static PprofAddress? _address;

    /// <summary>The URL of the profile index while the endpoint runs, such as <c>http://127.0.0.1:6060/debug/pprof/</c>; otherwise null.</summary>
    public static string? ProfilesUrl
    {
        get
        {
            lock (Gate) return _address?.ProfilesUrl;
        }
    }

    /// <summary>
    /// Starts the endpoint and allocation sampling. Never throws: a bad address, a busy port or a
    /// disabled diagnostic port is reported in one line on stderr and the app runs on.
    /// </summary>
    /// <param name="address">
    /// <c>host:port</c>; <see cref="PprofAddress.Default"/> when null. The environment variable
    /// <see cref="AddressVariable"/>, when set, wins over this argument.
    /// </param>
    /// <returns>True if the endpoint listens (now or from an earlier call).</returns>
    public static bool Start(string? address = null) => Start(new DebugPprofOptions { Address = address });

    /// <summary>
    /// Starts the endpoint and allocation sampling with <paramref name="options"/>. Never throws: a
    /// bad address, a busy port or a disabled diagnostic port is reported in one line on stderr and
    /// the app runs on. The environment variables named on each option win over it.
    /// </summary>
    /// <returns>True if the endpoint listens (now or from an earlier call).</returns>
    public static bool Start(DebugPprofOptions options)
    {
        try
        {
            return StartCore(options ?? new DebugPprofOptions());
        }
        catch (Exception e)
        {
            ProfilingKitLog.Error($"the pprof endpoint could not start: {e.GetType().Name}: {e.Message}. The app runs on without it.");
            return false;
        }
    }

    /// <summary>
    /// Waits until allocation sampling runs, for code that wants every allocation after this call in
    /// the profile (sampling starts in the background so as not to delay start-up).
    /// </summary>
    /// <returns>True if sampling runs; false if it failed to start, the timeout passed, or the endpoint is not started.</returns>
    public static bool WaitForSampling(TimeSpan timeout)
    {
        RuntimeProfiler? profiler;
        lock (Gate) profiler = _profiler;
        return profiler?.WaitForSampling(timeout) ?? false;
    }

    /// <summary>Stops the endpoint and sampling. Profiles gathered so far are discarded.</summary>
    public static void Stop()
    {
        lock (Gate)
        {
            _endpoint?.Dispose();
            _profiler?.Dispose();
            _endpoint = null;
            _profiler = null;
            _address = null;
        }
    }

    private static bool StartCore(DebugPprofOptions options)
    {
        GcTrace.StartFromEnvironment();

        var requested = options.Address;
        var fromEnvironment = Environment.GetEnvironmentVariable(AddressVariable);
        var text = string.IsNullOrWhiteSpace(fromEnvironment) ? requested ?? PprofAddress.Default : fromEnvironment;
        if (text.Trim().Equals(PprofAddress.Off, StringComparison.OrdinalIgnoreCase)) return false;

        PprofAddress address;
        try
        {
            address = PprofAddress.Parse(text);
        }
        catch (FormatException e)
        {
            var source = string.IsNullOrWhiteSpace(fromEnvironment) ? "DebugPprofAddress" : AddressVariable;
            ProfilingKitLog.Error($"{source}: {e.Message} The pprof endpoint is not started; the app runs on.");
            return false;
        }

        lock (Gate)
        {
            if (_endpoint is not null) return true;

            var threads = new ProfilerThreads();
            var profiler = new RuntimeProfiler(threads);
            try
            {
                _endpoint = HttpListenerHost.Start(address, PprofDispatcher.For(profiler, PprofEndpointSettings.Resolve(options)), threads);
            }
            catch (HttpListenerException e)
            {
                ProfilingKitLog.Error($"cannot listen on {address}: {e.Message}. Set {AddressVariable} to another host:port (or off). The app runs on without the pprof endpoint.");
                return false;
            }

            _profiler = profiler;
            _address = address;
            profiler.StartInBackground();
        }

        if (!address.IsLoopback)
        {
            ProfilingKitLog.Warn($"the pprof endpoint listens on {address}, which is reachable from other machines: profiles reveal code and data. Prefer {PprofAddress.Default}, and set {PprofEndpointSettings.TokenVariable} if it must be reachable.");
        }

        ProfilingKitLog.Info($"serving profiles at {address.ProfilesUrl}");
        return true;
    }
}
