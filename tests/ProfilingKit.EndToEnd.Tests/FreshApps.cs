namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The package packed once, and one fresh console app that uses it, built twice: with
/// EnableDebugPprof (and a build-time address) and without it.
/// </summary>
public sealed class FreshApps
{
    public const string AppName = "E2EApp";
    public const string AllocatingMethod = "E2EApp.Worker.AllocateKnown";
    public const string WorkerMethod = "E2EApp.Worker.Run";

    // The app knows nothing of ProfilingKit: the property alone must wire the endpoint in.
    private const string ProgramSource = """
        using System.Runtime.CompilerServices;

        namespace E2EApp;

        public static class Program
        {
            public static void Main()
            {
                new Thread(Worker.Run) { IsBackground = true }.Start();
                Console.WriteLine("working");
                Console.In.ReadToEnd();
            }
        }

        public static class Worker
        {
            public static object? Sink;

            public static void Run()
            {
                while (true)
                {
                    AllocateKnown();
                    Thread.Sleep(5);
                }
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            public static void AllocateKnown()
            {
                for (var i = 0; i < 10_000; i++) Sink = new byte[1_000];
            }

            public static string Join(int count)
            {
                var text = "";
                for (var i = 0; i < count; i++)
                {
                    text += i.ToString();
                }

                return text;
            }
        }
        """;

    public FreshApps()
    {
        Package = PackedPackage.Shared;
        BuildTimePort = Testing.FreePort.Next();
        var directory = Package.CreateConsoleApp(AppName, ProgramSource,
            $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{BuildTimePort}</DebugPprofAddress>");

        EnabledOutput = Path.Combine(directory, "out-enabled");
        DisabledOutput = Path.Combine(directory, "out-disabled");
        EnabledBuildOutput = CommandLine.Dotnet(directory, Package.CommandEnvironment, "build", "-o", EnabledOutput);
        CommandLine.Dotnet(directory, Package.CommandEnvironment, "build", "-p:EnableDebugPprof=false", "-o", DisabledOutput);
    }

    public PackedPackage Package { get; }

    /// <summary>The address the enabled build was given with DebugPprofAddress.</summary>
    public int BuildTimePort { get; }

    public string EnabledOutput { get; }

    /// <summary>What <c>dotnet build</c> printed for the enabled build: the analyzers' warnings among it.</summary>
    public string EnabledBuildOutput { get; }

    /// <summary>The 1-based line of <c>text += i.ToString();</c> in the app's Program.cs.</summary>
    public static int ConcatenationLine { get; } =
        ProgramSource.Split('\n').Select((line, index) => (line, index)).Single(l => l.line.Contains("text += i.ToString();", StringComparison.Ordinal)).index + 1;

    public string DisabledOutput { get; }
}
