using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ProfilingKit;

// "server PORT": an app with ProfilingKit's endpoint on 127.0.0.1:PORT, until stdin closes.
// "NAME=SERVER.dll ...": drives every server in interleaved rounds and prints a Markdown table.
if (args is ["server", var port])
{
    DebugPprof.Start($"127.0.0.1:{port}");
    DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
    Console.WriteLine("serving");
    Console.In.ReadToEnd();
    return 0;
}

const int Clients = 200;
var quick = args.Contains("--quick");
var rounds = quick ? 1 : 3;
var phase = TimeSpan.FromSeconds(quick ? 5 : 15);
string[] paths = ["/debug/pprof/", "/debug/pprof/allocs"];
var servers = args.Where(arg => arg.Contains('=')).Select(arg => arg.Split('=', 2)).Select(pair => new Server(pair[0], pair[1])).ToList();

Console.WriteLine($"{rounds} rounds; each round loads every server on each path for {phase.TotalSeconds:0} s with {Clients} concurrent keep-alive clients, in turn (the order reversed every other round).");
Console.WriteLine();
var results = servers.SelectMany(server => paths.Select(path => (server.Name, path))).ToDictionary(key => key, _ => new List<(double Rate, long Failed)>());
try
{
    foreach (var server in servers) server.Start();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var server in round % 2 == 0 ? servers : Enumerable.Reverse(servers))
        {
            foreach (var path in paths)
            {
                var result = await Load(server.Port, path, phase);
                results[(server.Name, path)].Add(result);
                Console.Error.WriteLine($"round {round + 1}: {server.Name} {path}: {result.Rate:0} requests/s, {result.Failed} failed");
            }
        }
    }
}
finally
{
    foreach (var server in servers) server.Dispose();
}

Console.WriteLine("| path | " + string.Join(" | ", servers.Select(server => server.Name + " requests/s")) + $" | ratio {servers[^1].Name} / {servers[0].Name} | failed |");
Console.WriteLine("|---|" + string.Concat(servers.Select(_ => "---|")) + "---|---|");
foreach (var path in paths)
{
    var means = servers.Select(server => results[(server.Name, path)].Average(r => r.Rate)).ToList();
    var failed = string.Join(" / ", servers.Select(server => results[(server.Name, path)].Sum(r => r.Failed)));
    Console.WriteLine($"| `{path}` | {string.Join(" | ", means.Select(mean => mean.ToString("0", CultureInfo.InvariantCulture)))} | ×{means[^1] / means[0]:0.00} | {failed} |");
}

return 0;

static async Task<(double Rate, long Failed)> Load(int port, string path, TimeSpan length)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20) }) { Timeout = TimeSpan.FromSeconds(30) };
    using var stop = new CancellationTokenSource(length);
    long served = 0, failed = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                await response.Content.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref served : ref failed);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    })));
    return (served / clock.Elapsed.TotalSeconds, failed);
}

internal sealed class Server(string name, string dll) : IDisposable
{
    private Process? _process;

    public string Name { get; } = name;

    public int Port { get; } = FreePort();

    public void Start()
    {
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { dll, "server", Port.ToString(CultureInfo.InvariantCulture) }, RedirectStandardInput = true, RedirectStandardOutput = true };
        startInfo.Environment.Remove("PROFILINGKIT_PPROF_ADDRESS");
        _process = Process.Start(startInfo)!;
        if (_process.StandardOutput.ReadLine() != "serving") throw new InvalidOperationException($"{Name} did not start");
    }

    public void Dispose()
    {
        if (_process is null) return;
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
