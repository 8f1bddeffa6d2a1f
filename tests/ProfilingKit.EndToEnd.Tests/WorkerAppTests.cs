using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The <c>dotnet new worker</c> template with the package and EnableDebugPprof: its async loop, named
/// readably. The loop is made to allocate 64 KB every 50 ms: the template's one log line a second
/// allocates about 1 KB, and the runtime samples about one allocation per 100 KB.
/// </summary>
public sealed class WorkerAppTests : IDisposable
{
    private readonly RunningProcess _app;
    private readonly int _port = FreePort.Next();

    public WorkerAppTests()
    {
        var package = PackedPackage.Shared;
        var directory = package.CreateApp("worker", "E2EWorker", programSource: null,
            $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{_port}</DebugPprofAddress>");
        var worker = Path.Combine(directory, "Worker.cs");
        var source = File.ReadAllText(worker);
        Assert.Contains("await Task.Delay(1000, stoppingToken);", source);
        File.WriteAllText(worker, source.Replace("await Task.Delay(1000, stoppingToken);", "Sink = new byte[64 * 1024];\n            await Task.Delay(50, stoppingToken);", StringComparison.Ordinal)
            .Replace("protected override async Task ExecuteAsync", "public static object? Sink;\n\n    protected override async Task ExecuteAsync", StringComparison.Ordinal));
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);
        _app = new RunningProcess(CommandLine.StartInfo(output, new Dictionary<string, string>(), ["E2EWorker.dll"]));
        Assert.True(_app.WaitForStandardError("serving profiles at", TimeSpan.FromSeconds(60)), "the worker did not start its endpoint:\n" + _app.StandardError);
    }

    [Fact]
    public void Go_tool_pprof_shows_the_workers_ExecuteAsync_with_its_name_whole()
    {
        // The template logs once a second from ExecuteAsync's loop: a few seconds give its allocations.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string output;
        do
        {
            Thread.Sleep(1000);
            output = GoPprof.Run("-top", "-cum", $"http://127.0.0.1:{_port}/debug/pprof/allocs").EnsureSuccess().StandardOutput;
        }
        while (!output.Contains("E2EWorker.Worker+<ExecuteAsync>d__", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Matches(@"E2EWorker\.Worker\+<ExecuteAsync>d__\d+\.MoveNext", output);
        Assert.DoesNotMatch(@"E2EWorker\.Worker\+d__\d+", output); // what pprof's demangling made of it
    }

    public void Dispose() => _app.Dispose();
}
