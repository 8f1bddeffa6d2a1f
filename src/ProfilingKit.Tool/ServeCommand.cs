using System.Net.Sockets;
using ProfilingKit.Hosting;
using ProfilingKit.Http;

namespace ProfilingKit.Tool;

/// <summary>
/// <c>dotnet pprof serve -p PID [--address 127.0.0.1:6060]</c>: a sidecar that serves Go's
/// <c>/debug/pprof/</c> for a process that never referenced ProfilingKit, with the endpoint's own
/// server, dispatcher, limits and token (PROFILINGKIT_PPROF_TOKEN and the other variables, read from
/// the sidecar's environment). It samples the target from the start, as the endpoint does in an app,
/// and stops when the target exits or on Ctrl+C. Its sessions end with it: the runtime ends an
/// EventPipe session whose client went away, even when the sidecar is killed.
/// </summary>
internal static class ServeCommand
{
    private static readonly TimeSpan ExitCheckPeriod = TimeSpan.FromSeconds(1);

    public static int Run(Tool tool, ToolOptions options)
    {
        if (options.Sources.Count > 0) throw new ToolException($"serve takes flags only; \"{options.Sources[0]}\" is not one");

        PprofAddress address;
        try
        {
            address = PprofAddress.Parse(options.Address ?? PprofAddress.Default);
        }
        catch (FormatException e)
        {
            throw new ToolException("--address: " + e.Message, e);
        }

        var debugOptions = new DebugPprofOptions();
        var settings = PprofEndpointSettings.Resolve(debugOptions);
        using var target = AttachTarget.Open(options);
        target.RequireAllocationSampling("serve (its allocs and heap profiles)");

        using var profiler = new AttachedProfiler(tool, target);
        profiler.StartSampling();
        using var dispatcher = profiler.Dispatcher(settings);
        PprofServer server;
        try
        {
            server = PprofServer.Start(address, dispatcher, profiler.Threads);
        }
        catch (SocketException e)
        {
            throw new ToolException($"cannot listen on {address}: {e.Message}; choose another with --address host:port", e);
        }

        using (server)
        {
            if (!address.IsLoopback)
            {
                tool.Status.WriteLine($"dotnet-pprof: serving on {address}, which other machines can reach: profiles reveal code and data. Prefer {PprofAddress.Default}, and set {PprofEndpointSettings.TokenVariable} if it must be reachable.");
            }

            tool.Status.WriteLine($"serving profiles of {target.Description} at {address.ProfilesUrl} (Ctrl+C stops)");
            while (!tool.Stop.WaitHandle.WaitOne(ExitCheckPeriod))
            {
                if (!target.IsRunning)
                {
                    tool.Status.WriteLine($"{target.Description} has exited; stopping");
                    break;
                }
            }
        }

        return 0;
    }
}
