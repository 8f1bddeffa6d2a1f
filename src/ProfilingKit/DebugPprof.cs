using System.Net;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
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

    /// <summary>The environment variable that says whether the standalone listener starts (<see cref="DebugPprofOptions.Listen"/>).</summary>
    public const string ListenVariable = "PROFILINGKIT_PPROF_LISTEN";

    private static readonly object Gate = new();
    private static RuntimeProfiler? _profiler;
    private static PprofServer? _endpoint;
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
    /// <returns>True if sampling runs (now or from an earlier call): the endpoint listens, or <see cref="DebugPprofOptions.Listen"/> is off.</returns>
    public static bool Start(DebugPprofOptions options)
    {
        try
        {
            options ??= new DebugPprofOptions();
            return StartCore(options, Listens(options));
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

    /// <summary>
    /// Sends ProfilingKit's log lines to <paramref name="logger"/> instead of stderr (null: back to
    /// stderr). The generated <c>MapDebugPprof()</c> points it at the app's ILogger.
    /// </summary>
    public static void SetLogger(Action<DebugPprofLogLevel, string>? logger) => ProfilingKitLog.SetSink(logger);

    /// <summary>
    /// A handler that serves the profiles of this process through a host of the app's own, such as the
    /// ASP.NET Core endpoint <c>app.MapDebugPprof()</c> maps: the same paths, parameters, errors and
    /// bytes as the standalone listener. It serves while sampling runs (<see cref="Start(DebugPprofOptions)"/>,
    /// which <c>EnableDebugPprof</c> calls at start-up) and answers 503 otherwise.
    /// </summary>
    /// <param name="options">The request limits and <c>cmdline</c> switch of this handler; the environment variables still win. Its address and token are not used: the host decides who may ask.</param>
    public static DebugPprofHandler CreateHandler(DebugPprofOptions? options = null)
    {
        options ??= new DebugPprofOptions();

        // The handler serves where the listener could not (a busy port, Listen off): sampling must run.
        try
        {
            StartCore(options, listen: false);
        }
        catch (Exception e)
        {
            ProfilingKitLog.Error($"sampling could not start: {e.GetType().Name}: {e.Message}. The app runs on without profiles.");
        }

        return new DebugPprofHandler(PprofEndpointSettings.Resolve(options) with { Token = null }, () =>
        {
            lock (Gate) return _profiler;
        });
    }

    private static bool StartCore(DebugPprofOptions options, bool listen)
    {
        GcTrace.StartFromEnvironment();

        var requested = options.Address;
        var fromEnvironment = Environment.GetEnvironmentVariable(AddressVariable);
        var text = string.IsNullOrWhiteSpace(fromEnvironment) ? requested ?? PprofAddress.Default : fromEnvironment;
        if (text.Trim().Equals(PprofAddress.Off, StringComparison.OrdinalIgnoreCase)) return false;

        PprofAddress? address = null;
        if (listen)
        {
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
        }

        lock (Gate)
        {
            if (_profiler is not null) return true;

            var threads = new ProfilerThreads();
            var profiler = new RuntimeProfiler(ProfiledProcess.Self(), threads, RuntimeProfiler.StackMemoryBytes(options), RuntimeProfiler.FollowsLiveHeap(options));
            if (address is not null)
            {
                try
                {
                    _endpoint = PprofServer.Start(address, PprofDispatcher.For(profiler, PprofEndpointSettings.Resolve(options)), threads);
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    ProfilingKitLog.Error($"cannot listen on {address}: {e.Message}. Set {AddressVariable} to another host:port (or off). The app runs on without the pprof endpoint.");
                    return false;
                }

                _address = address;
            }

            _profiler = profiler;
            profiler.StartInBackground();
        }

        if (address is null)
        {
            ProfilingKitLog.Info("sampling without a listener of its own: profiles are served where the app maps them (MapDebugPprof)");
            return true;
        }

        if (!address.IsLoopback)
        {
            ProfilingKitLog.Warn($"the pprof endpoint listens on {address}, which is reachable from other machines: profiles reveal code and data. Prefer {PprofAddress.Default}, and set {PprofEndpointSettings.TokenVariable} if it must be reachable.");
        }

        ProfilingKitLog.Info($"serving profiles at {address.ProfilesUrl}");
        return true;
    }

    /// <summary><see cref="DebugPprofOptions.Listen"/>, unless <see cref="ListenVariable"/> says otherwise.</summary>
    private static bool Listens(DebugPprofOptions options) => SettingValues.Flag(ListenVariable, options.Listen);
}
