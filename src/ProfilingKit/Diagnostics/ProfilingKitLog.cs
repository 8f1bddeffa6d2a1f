namespace ProfilingKit.Diagnostics;

/// <summary>ProfilingKit's few lines to the app's stderr: one line each, prefixed, never thrown.</summary>
internal static class ProfilingKitLog
{
    private static Action<DebugPprofLogLevel, string>? _sink;

    /// <summary>Where the lines go instead of stderr (an app's ILogger), or null for stderr.</summary>
    public static void SetSink(Action<DebugPprofLogLevel, string>? sink) => Volatile.Write(ref _sink, sink);

    public static void Info(string message) => Write(DebugPprofLogLevel.Information, message);

    public static void Warn(string message) => Write(DebugPprofLogLevel.Warning, message);

    public static void Error(string message) => Write(DebugPprofLogLevel.Error, message);

    private static void Write(DebugPprofLogLevel level, string message)
    {
        try
        {
            if (Volatile.Read(ref _sink) is { } sink)
            {
                sink(level, message);
                return;
            }

            var prefix = level switch
            {
                DebugPprofLogLevel.Warning => "warning: ",
                DebugPprofLogLevel.Error => "error: ",
                _ => "",
            };
            Console.Error.WriteLine("ProfilingKit: " + prefix + message);
        }
        catch (Exception)
        {
            // A closed stderr or a failing logger must not take the app down.
        }
    }
}
