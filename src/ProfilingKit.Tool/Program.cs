namespace ProfilingKit.Tool;

internal static class Program
{
    public static int Main(string[] args) => new Tool(Console.Out, Console.Error, interactive: !Console.IsErrorRedirected).Run(args);
}
