using ProfilingKit.Diagnostics;
using ProfilingKit.Gc;

namespace ProfilingKit;

/// <summary>
/// The analogue of Go's <c>GODEBUG=gctrace=1</c>: with <c>PROFILINGKIT_GCTRACE=1</c> in the
/// environment, one line per GC on stderr (docs/gctrace.md). Apps with the package get it from a
/// generated module initializer; <see cref="DebugPprof.Start(DebugPprofOptions)"/> starts it too.
/// </summary>
public static class GcTrace
{
    /// <summary>The environment variable that turns the trace on: <c>1</c>.</summary>
    public const string Variable = "PROFILINGKIT_GCTRACE";

    private static readonly object Gate = new();
    private static GcEventListener? _listener;

    /// <summary>Starts the trace if <see cref="Variable"/> is <c>1</c>. Never throws.</summary>
    /// <returns>True if the trace runs.</returns>
    public static bool StartFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable)?.Trim();
        if (string.IsNullOrEmpty(value) || value == "0") return false;
        if (value == "1") return Start();

        ProfilingKitLog.Warn($"{Variable}='{value}' is not understood; set it to 1 for one line per GC on stderr.");
        return false;
    }

    /// <summary>Starts writing one line per GC to stderr, whatever the environment says. Never throws.</summary>
    /// <returns>True if the trace runs (now or from an earlier call).</returns>
    public static bool Start()
    {
        try
        {
            lock (Gate)
            {
                _listener ??= new GcEventListener(WriteLine);
                return true;
            }
        }
        catch (Exception e)
        {
            ProfilingKitLog.Error($"the GC trace could not start: {e.GetType().Name}: {e.Message}. The app runs on without it.");
            return false;
        }
    }

    /// <summary>Stops the trace.</summary>
    public static void Stop()
    {
        lock (Gate)
        {
            _listener?.Dispose();
            _listener = null;
        }
    }

    /// <summary>
    /// True for the runtime thread that runs the trace: its allocations (event objects, the line)
    /// are ProfilingKit's, not the app's, so the allocs profile leaves them out. The runtime has one
    /// such thread for all in-process listeners of its events; theirs is diagnostics work too.
    /// </summary>
    internal static bool IsTraceThread(long osThreadId)
    {
        var listener = Volatile.Read(ref _listener);
        return listener is not null && osThreadId != 0 && listener.DispatchThreadId == osThreadId;
    }

    private static void WriteLine(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (Exception)
        {
            // A closed stderr must not take the app down.
        }
    }
}
