namespace ProfilingKit.Diagnostics;

/// <summary>ProfilingKit's few lines to the app's stderr: one line each, prefixed, never thrown.</summary>
internal static class ProfilingKitLog
{
    public static void Info(string message) => Write(message);

    public static void Warn(string message) => Write("warning: " + message);

    public static void Error(string message) => Write("error: " + message);

    private static void Write(string line)
    {
        try
        {
            Console.Error.WriteLine("ProfilingKit: " + line);
        }
        catch (Exception)
        {
            // A closed stderr must not take the app down.
        }
    }
}
