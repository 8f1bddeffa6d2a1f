namespace ProfilingKit.Tool;

internal static class Program
{
    public static int Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Ctrl+C ends a running -http server cleanly instead of killing the process mid-reply.
            e.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        };
        return new Tool(Console.Out, Console.Error, interactive: !Console.IsErrorRedirected) { Stop = stop.Token }.Run(args);
    }
}
