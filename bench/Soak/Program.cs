using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ProfilingKit;
using ProfilingKit.Bench.Soak;

// A workload process: ProfilingKit on (an address) or off (PROFILINGKIT_PPROF_ADDRESS=off, as a user turns it off).
if (args is ["work", var workload, var port])
{
    DebugPprof.Start($"127.0.0.1:{port}");
    DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)); // false at once where it is off
    Workloads.Run(workload);
    Console.WriteLine("working");
    Console.ReadLine(); // until the driver closes stdin or kills it
    return 0;
}

var minutes = Values("--minutes").Select(Number).DefaultIfEmpty(30).Last();
if (args.Contains("--quick")) minutes = 3;
var duration = TimeSpan.FromMinutes(minutes);
var warmUp = TimeSpan.FromMinutes(Math.Min(2, minutes / 4));
var readEvery = TimeSpan.FromSeconds(10);
var fetchEvery = TimeSpan.FromSeconds(Values("--fetch-every").Select(Number).DefaultIfEmpty(15).Last()); // Grafana Alloy's default scrape interval
var workloads = Values("--workload").DefaultIfEmpty(Workloads.Recursion).ToList();
if (!args.Contains("--workload")) workloads.Add(Workloads.Steady);
var environment = Values("--env").Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : ""); // for both apps of a pair: tells causes apart

var apps = new List<App>();
foreach (var name in workloads)
{
    apps.Add(App.Start(name, profiled: true, environment));
    apps.Add(App.Start(name, profiled: false, environment));
}

var settings = environment.Count == 0 ? "" : " with " + string.Join(" ", environment.Select(pair => $"{pair.Key}={pair.Value}"));
Console.Error.WriteLine($"soak: {minutes:0.#} min, RSS every {readEvery.TotalSeconds:0} s, allocs fetched every {fetchEvery.TotalSeconds:0} s from the profiled apps{settings}");
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
var clock = Stopwatch.StartNew();
var nextFetch = TimeSpan.Zero;
var nextProgress = TimeSpan.FromMinutes(1);
while (clock.Elapsed < duration)
{
    foreach (var app in apps) app.ReadMemory(clock.Elapsed);
    while (nextFetch <= clock.Elapsed)
    {
        foreach (var app in apps.Where(app => app.Profiled)) await app.FetchAsync(http, clock.Elapsed);
        nextFetch += fetchEvery;
    }

    if (clock.Elapsed >= nextProgress)
    {
        Console.Error.WriteLine($"  {clock.Elapsed.TotalMinutes:0} min: " + string.Join(", ", apps.Select(app => $"{app.Name} {Mb(app.Readings[^1].Rss)} MB")));
        nextProgress += TimeSpan.FromMinutes(1);
    }

    var wait = readEvery - TimeSpan.FromTicks(clock.Elapsed.Ticks % readEvery.Ticks);
    await Task.Delay(wait);
}

foreach (var app in apps) app.Dispose();

// The report, in Markdown.
var marks = Enumerable.Range(0, 7).Select(i => duration * i / 6).ToList();
Console.WriteLine($"### Soak: {minutes:0.#} min, RSS read from outside every {readEvery.TotalSeconds:0} s (MB = 2^20 bytes); allocs fetched every {fetchEvery.TotalSeconds:0} s from the profiled apps{settings}");
Console.WriteLine();
Console.WriteLine("| workload | ProfilingKit | " + string.Join(" | ", marks.Select(at => $"{at.TotalMinutes:0.#} min")) + " | growth after warm-up (fit) | over the last half | a week at that rate |");
Console.WriteLine("|---|---|" + string.Concat(marks.Select(_ => "---:|")) + "---:|---:|---:|");
foreach (var app in apps)
{
    var atMarks = marks.Select(at => Mb(app.Readings.MinBy(reading => (reading.At - at).Duration()).Rss));
    var slope = app.GrowthPerMinute(warmUp);
    var lastHalf = app.GrowthPerMinute(duration / 2);
    var end = app.Readings[^1].Rss;
    var week = end + (slope * (TimeSpan.FromDays(7) - duration).TotalMinutes);
    Console.WriteLine($"| {app.Workload} | {(app.Profiled ? "on" : "off")} | {string.Join(" | ", atMarks)} | {slope / (1 << 20):+0.00;-0.00} MB/min | {lastHalf / (1 << 20):+0.00;-0.00} MB/min | {Mb((long)Math.Max(week, 0))} MB |");
}

Console.WriteLine();
foreach (var app in apps.Where(app => app.Profiled))
{
    var (first, last) = (app.Fetches[0], app.Fetches[^1]);
    Console.WriteLine($"- {app.Workload}: {app.Fetches.Count} fetches of allocs; the first {first.Bytes / 1e3:0.#} kB in {first.Seconds:0.00} s, the last {last.Bytes / 1e3:0.#} kB in {last.Seconds:0.00} s; {app.FailedFetches} failed.");
}

Console.WriteLine();
Console.WriteLine($"Warm-up: the first {warmUp.TotalMinutes:0.#} min are left out of the fit (least squares over every reading after it). " +
                  "A week extrapolates the fitted growth from the last reading (an upper bound where memory levels off during the run: the last half's slope says whether it did); a fit within a few tenths of a MB/min of zero is the GC's noise, not growth.");
return 0;

IEnumerable<string> Values(string option) => args.Zip(args.Skip(1)).Where(pair => pair.First == option).Select(pair => pair.Second);

static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

static string Mb(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

/// <summary>One workload process and what the driver read of it.</summary>
internal sealed class App(string workload, bool profiled, Process process, int port) : IDisposable
{
    public string Workload { get; } = workload;

    public bool Profiled { get; } = profiled;

    public string Name => $"{Workload}/{(Profiled ? "on" : "off")}";

    public List<(TimeSpan At, long Rss)> Readings { get; } = [];

    public List<(TimeSpan At, long Bytes, double Seconds)> Fetches { get; } = [];

    public int FailedFetches { get; private set; }

    public static App Start(string workload, bool profiled, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(App).Assembly.Location, "work", workload, port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        if (!profiled) start.Environment["PROFILINGKIT_PPROF_ADDRESS"] = "off";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + workload);
        if (process.StandardOutput.ReadLine() != "working") throw new InvalidOperationException($"{workload} did not start");
        return new App(workload, profiled, process, port);
    }

    public void ReadMemory(TimeSpan at)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        Readings.Add((at, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024));
    }

    public async Task FetchAsync(HttpClient http, TimeSpan at)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var body = await http.GetByteArrayAsync($"http://127.0.0.1:{port}/debug/pprof/allocs");
            Fetches.Add((at, body.Length, clock.Elapsed.TotalSeconds));
        }
        catch (HttpRequestException e)
        {
            FailedFetches++;
            Console.Error.WriteLine($"  {Name}: fetch failed: {e.Message}");
        }
    }

    /// <summary>The least-squares slope of RSS over time after <paramref name="warmUp"/>, in bytes a minute.</summary>
    public double GrowthPerMinute(TimeSpan warmUp)
    {
        var points = Readings.Where(reading => reading.At >= warmUp).Select(reading => (X: reading.At.TotalMinutes, Y: (double)reading.Rss)).ToList();
        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        return points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
    }

    public void Dispose()
    {
        process.Kill();
        process.WaitForExit();
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
