using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The always-on profiler's memory is bounded by its budget, not by uptime: a fresh app from the
/// packed package allocates from very many distinct stacks (random recursion 1-60 deep through 20
/// methods), beside the same app with ProfilingKit off, both watched from outside while allocs is
/// fetched as a scraper would. Before the stack table was bounded, this grew by 220-244 MB a minute.
/// </summary>
public sealed class BoundedMemoryTests(ITestOutputHelper log)
{
    private const int Methods = 20;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Soak = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Allocations_from_ever_new_stacks_keep_the_profilers_memory_flat_and_the_totals_right()
    {
        var package = PackedPackage.Shared;
        var port = FreePort.Next();
        var directory = package.CreateConsoleApp("E2ERecursion", ProgramSource(), $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{port}</DebugPprofAddress>");
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);

        using var profiled = Start(output, new Dictionary<string, string>());
        using var plain = Start(output, new Dictionary<string, string> { ["PROFILINGKIT_PPROF_ADDRESS"] = "off" });
        Assert.True(profiled.WaitForStandardError("serving profiles at", TimeSpan.FromSeconds(30)), profiled.StandardError);
        var url = $"http://127.0.0.1:{port}/debug/pprof/";

        var clock = Stopwatch.StartNew();
        var samples = new List<(TimeSpan At, long Profiled, long Plain)>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        while (clock.Elapsed < WarmUp + Soak)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            samples.Add((clock.Elapsed, ResidentBytes(profiled), ResidentBytes(plain))); // before the fetch: its own transient is not the table
            if (samples.Count % 2 == 0) Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "allocs")).StatusCode); // a scraper's fetch
        }

        // Medians of the soak's halves, since a fetch's garbage and the GC's timing move one reading by tens of MB.
        var soak = samples.Where(sample => sample.At >= WarmUp).ToList();
        var first = Median(soak.Take(soak.Count / 2).Select(sample => sample.Profiled));
        var second = Median(soak.Skip(soak.Count / 2).Select(sample => sample.Profiled));
        var overPlain = Median(soak.Select(sample => sample.Profiled - sample.Plain));
        var trail = string.Join("; ", samples.Select(s => $"{s.At.TotalSeconds:0} s: {s.Profiled >> 20} MB ({s.Plain >> 20} MB off)"));
        log.WriteLine($"resident memory: {trail}; soak medians {first >> 20} MB then {second >> 20} MB, {overPlain >> 20} MB over the plain app");
        Assert.True(second - first <= 32L << 20, $"the profiled app grew from {first >> 20} MB to {second >> 20} MB (medians of the soak's halves): {trail}");
        Assert.True(overPlain <= 128L << 20, $"the profiled app holds {overPlain >> 20} MB more than the same app without ProfilingKit: {trail}");

        // The totals: the worker stops, says what it allocated, and the profile says the same within 2%.
        profiled.WriteLine("pause");
        var allocated = long.Parse(profiled.ReadLine(TimeSpan.FromSeconds(10)).Substring("allocated ".Length), CultureInfo.InvariantCulture);
        var top = GoPprof.Run("-top", "-sample_index=alloc_space", url + "allocs").EnsureSuccess().StandardOutput;
        var total = GoPprof.ParseTop(top).Total ?? throw new InvalidOperationException(top);
        log.WriteLine($"allocated {allocated:N0} bytes, the profile says {total:N0} ({total / allocated:0.0000})");
        Assert.InRange(total / allocated, 0.98, 1.02);
        Assert.Contains("[other stacks]", GoPprof.ParseTop(top).Rows.Select(row => row.Name)); // the budget was reached
        Assert.Contains("were merged into [other stacks] to keep the table within 8 MB", GoPprof.Run("-raw", url + "allocs").EnsureSuccess().StandardOutput); // and the comment says so
    }

    private static RunningProcess Start(string output, Dictionary<string, string> environment)
    {
        var process = new RunningProcess(CommandLine.StartInfo(output, environment, ["E2ERecursion.dll"]));
        Assert.Equal("working", process.ReadLine(TimeSpan.FromSeconds(30)));
        return process;
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static long ResidentBytes(RunningProcess process) =>
        long.Parse(File.ReadLines($"/proc/{process.Id}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    /// <summary>
    /// One worker thread recursing at random through <see cref="Methods"/> methods and allocating
    /// 64 B to 4 KB at the bottom; "pause" stops it and prints the bytes it allocated.
    /// </summary>
    private static string ProgramSource()
    {
        var methods = new StringBuilder();
        var cases = new StringBuilder();
        for (var i = 0; i < Methods; i++)
        {
            methods.AppendLine($$"""
                    [MethodImpl(MethodImplOptions.NoInlining)]
                    private static void M{{i}}(int depth, Random random) { if (depth == 0) Allocate(random); else Step(depth - 1, random); }
                """);
            cases.AppendLine($"            case {i}: M{i}(depth, random); break;");
        }

        return $$"""
            using System.Runtime.CompilerServices;

            namespace E2ERecursion;

            public static class Program
            {
                private static volatile bool _paused;
                private static long _allocated = -1;
                public static object? Sink;

                public static void Main()
                {
                    ProfilingKit.DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)); // false at once where it is off
                    var worker = new Thread(Work) { IsBackground = true };
                    worker.Start();
                    Console.WriteLine("working");
                    while (Console.ReadLine() is { } line)
                    {
                        if (line != "pause") continue;
                        _paused = true;
                        while (Interlocked.Read(ref _allocated) < 0) Thread.Sleep(10);
                        Console.WriteLine("allocated " + Interlocked.Read(ref _allocated));
                    }
                }

                private static void Work()
                {
                    var random = new Random(1);
                    var start = GC.GetAllocatedBytesForCurrentThread();
                    while (!_paused) Step(random.Next(1, 61), random);
                    Interlocked.Exchange(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - start);
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static void Allocate(Random random) => Sink = new byte[random.Next(64, 4097)];

                [MethodImpl(MethodImplOptions.NoInlining)]
                private static void Step(int depth, Random random)
                {
                    switch (random.Next({{Methods}}))
                    {
            {{cases}}
                    }
                }

            {{methods}}
            }
            """;
    }
}
