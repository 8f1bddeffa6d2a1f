using System.Diagnostics;
using System.Globalization;
using System.Net;
using ProfilingKit.Testing;

namespace ProfilingKit.Bench.ScrapeCost;

/// <summary>
/// Loads a server with a fixed number of clients and counts the requests it serves per second, in
/// interleaved phases: unscraped, and scraped on Grafana Alloy's default schedule (every 15 s at once:
/// profile?seconds=14, allocs, goroutine, block, mutex). The figure is the ratio of the scraped
/// phases' throughput to the unscraped ones', over the same number of seconds of each.
/// </summary>
internal static class Driver
{
    private const int Clients = 4;
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15);
    private static string[] ScrapePaths = ["profile?seconds=14", "allocs", "goroutine", "block", "mutex"];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var throughout = args.Contains("--throughout");
        var labels = args.Contains("--labels");
        if (args.FirstOrDefault(arg => arg.StartsWith("--paths=", StringComparison.Ordinal)) is { } paths)
        {
            ScrapePaths = paths["--paths=".Length..].Split(','); // to find which profile costs what
        }
        var rounds = quick ? 1 : 5;
        var phase = quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(60);

        var configs = labels
            ? new List<Config> { new("unscraped, no labels", Scraped: false, CpuSampling: null), new("unscraped, every request labelled (http.route, http.method)", Scraped: false, CpuSampling: null, Labels: true) }
            : new List<Config> { new("unscraped", Scraped: false, CpuSampling: null), new("scraped (CPU windows sampled in slices, 10%, the default)", Scraped: true, CpuSampling: null) };
        if (throughout) configs.Add(new("scraped (CPU windows sampled throughout, PROFILINGKIT_PPROF_CPU_SAMPLING=100)", Scraped: true, CpuSampling: "100"));

        Console.WriteLine($"{rounds} rounds; each round runs every configuration for {phase.TotalSeconds:0} s in turn, after a 20 s scraped warm-up of each server; {Clients} clients in a loop on /work.");
        Console.WriteLine();
        var servers = configs.Select(config => config.Server).Distinct().ToDictionary(server => server, server => StartServer(server.CpuSampling, server.Labels));
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients + 8, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20) }) { Timeout = TimeSpan.FromSeconds(60) };
            // The warm-up scrapes too: the first fetch of each profile pays one-off costs (ProfilingKit's own
            // JIT, the first rundown) that a service pays once in its life, not every 15 s.
            foreach (var server in servers.Values) await Load(http, server, TimeSpan.FromSeconds(20), scrape: true);

            var results = configs.ToDictionary(config => config, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                foreach (var config in round % 2 == 0 ? configs : Enumerable.Reverse(configs))
                {
                    var rate = await Load(http, servers[config.Server], phase, config.Scraped);
                    results[config].Add(rate);
                    Console.Error.WriteLine($"round {round + 1}: {config.Name}: {rate:0.0} requests/s");
                }
            }

            var baseline = results[configs[0]].Sum();
            Console.WriteLine("| configuration | requests/s per round | mean requests/s | ratio to unscraped |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var config in configs)
            {
                var rates = results[config];
                var rounded = string.Join(" ", rates.Select(rate => rate.ToString("0.0", CultureInfo.InvariantCulture)));
                Console.WriteLine($"| {config.Name} | {rounded} | {rates.Average():0.0} | ×{rates.Sum() / baseline:0.000} |");
            }
        }
        finally
        {
            foreach (var server in servers.Values) server.Process.Dispose();
        }

        return 0;
    }

    private static RunningServer StartServer(string? cpuSampling, bool labels)
    {
        var port = FreePort.Next();
        var pprofPort = FreePort.Next();
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { typeof(Driver).Assembly.Location, "server", port.ToString(CultureInfo.InvariantCulture), pprofPort.ToString(CultureInfo.InvariantCulture) } };
        if (labels) startInfo.ArgumentList.Add("labels");
        startInfo.Environment.Remove("PROFILINGKIT_PPROF_ADDRESS");
        if (cpuSampling is not null) startInfo.Environment["PROFILINGKIT_PPROF_CPU_SAMPLING"] = cpuSampling;
        var process = new RunningProcess(startInfo);
        while (process.ReadLine(TimeSpan.FromSeconds(60)) != "working")
        {
        }

        return new RunningServer(process, port, pprofPort);
    }

    /// <summary>Requests per second served during <paramref name="length"/>, scraped meanwhile or not.</summary>
    private static async Task<double> Load(HttpClient http, RunningServer server, TimeSpan length, bool scrape)
    {
        using var stop = new CancellationTokenSource(length);
        long served = 0;
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{server.Port}/work", HttpCompletionOption.ResponseHeadersRead);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref served);
            }
        })).ToList();
        var scraper = scrape ? Scrape(http, server, stop.Token) : Task.CompletedTask;

        var watch = Stopwatch.StartNew();
        await Task.WhenAll(clients);
        var elapsed = watch.Elapsed;
        await scraper;
        return served / elapsed.TotalSeconds;
    }

    /// <summary>Alloy's schedule: every 15 s, all the profiles at once; a refused request fails the run.</summary>
    private static async Task Scrape(HttpClient http, RunningServer server, CancellationToken stop)
    {
        var pending = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var path in ScrapePaths)
            {
                pending.Add(Task.Run(async () =>
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{server.PprofPort}/debug/pprof/{path}");
                    await response.Content.CopyToAsync(Stream.Null);
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} was refused: {(int)response.StatusCode}");
                }));
            }

            try
            {
                await Task.Delay(ScrapeInterval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(pending); // a CPU window still running ends within its 14 s
    }

    private sealed record Config(string Name, bool Scraped, string? CpuSampling, bool Labels = false)
    {
        /// <summary>What tells this configuration's server from another's: configurations that differ only in scraping share one.</summary>
        public (string? CpuSampling, bool Labels) Server => (CpuSampling, Labels);
    }

    private sealed record RunningServer(RunningProcess Process, int Port, int PprofPort);
}
