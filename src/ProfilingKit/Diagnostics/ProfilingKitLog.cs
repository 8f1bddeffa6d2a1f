namespace ProfilingKit.Diagnostics;

/// <summary>ProfilingKit's few lines to the app's stderr: one line each, prefixed, never thrown.</summary>
internal static class ProfilingKitLog
{
    private const long RepeatInterval = 60_000;

    private static readonly Dictionary<string, (long WrittenAt, int Suppressed)> Repeats = new(StringComparer.Ordinal);
    private static Action<DebugPprofLogLevel, string>? _sink;

    /// <summary>Where the lines go instead of stderr (an app's ILogger), or null for stderr.</summary>
    public static void SetSink(Action<DebugPprofLogLevel, string>? sink) => Volatile.Write(ref _sink, sink);

    public static void Info(string message) => Write(DebugPprofLogLevel.Information, message);

    public static void Warn(string message) => Write(DebugPprofLogLevel.Warning, message);

    public static void Error(string message) => Write(DebugPprofLogLevel.Error, message);

    /// <summary>
    /// A warning that may repeat as fast as clients can cause it (a failing request, a full
    /// connection table): the first of its <paramref name="kind"/> in a minute is written, later ones
    /// are counted and the count is told with the next one written.
    /// </summary>
    public static void WarnRepeating(string kind, string message)
    {
        var now = Environment.TickCount64;
        int suppressed;
        lock (Repeats)
        {
            var (writtenAt, count) = Repeats.TryGetValue(kind, out var seen) ? seen : (long.MinValue, 0);
            if (writtenAt != long.MinValue && now - writtenAt < RepeatInterval)
            {
                Repeats[kind] = (writtenAt, count + 1);
                return;
            }

            Repeats[kind] = (now, 0);
            suppressed = count;
        }

        Warn(suppressed == 0 ? message : $"{message} ({suppressed} more like it in the last minute were not written)");
    }

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
