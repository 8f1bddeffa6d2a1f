using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// The always-on profiler's memory is bounded by its budget, not by uptime: fresh apps from the
/// packed package, each beside the same app with ProfilingKit off, both watched from outside while
/// allocs is fetched as a scraper would. Before the stack table was bounded, very many distinct
/// stacks grew it by 220-244 MB a minute; thousands of types by 9 MB a minute; and the profile's
/// fetches left memory behind (4.6 MB a minute at one fetch every 15 s).
/// </summary>
public sealed class BoundedMemoryTests(ITestOutputHelper log)
{
    private const int Methods = 20;
    /// <summary>Twice the readings of the first version: on this machine kind one reading of the recursion workload moves by up to 80 MB from the next, and the medians of the soak's halves need enough of them to hold still.</summary>
    private static readonly TimeSpan ReadEvery = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task Allocations_from_ever_new_stacks_keep_the_profilers_memory_flat_and_the_totals_right()
    {
        using var soak = await SoakAsync("E2ERecursion", RecursionSource(), [], warmUp: TimeSpan.FromSeconds(15), soak: TimeSpan.FromSeconds(45), fetchEvery: TimeSpan.FromSeconds(10));

        // Medians of the soak's halves, since a fetch's garbage and the GC's timing move one reading by tens of MB (121 to
        // 236 MB within a minute here, the plain app flat at 46 MB). The unbounded table grew 220-244 MB a minute, about
        // 80 MB between the halves' medians: 48 MB of growth still fails it. Over the plain app the 30-minute soak bench
        // measured 74-164 MB (docs/benchmarks/bounded-memory.md), so 192 MB bounds the profiler's footprint, not the GC's timing.
        soak.AssertGrowth(atMost: 48L << 20, overPlainAtMost: 192L << 20);
        var top = soak.AssertTotals();
        Assert.Contains("[other stacks]", GoPprof.ParseTop(top).Rows.Select(row => row.Name)); // the budget was reached
        Assert.Contains("were merged into [other stacks] to keep the table within 8 MB", soak.RawProfile()); // and the comment says so
    }

    /// <summary>
    /// Thousands of generic instantiations allocated from one stack, under a 1 MB budget (so the
    /// type table's quarter of it fills), fetched five times a second: the fetches' own growth (the
    /// JIT's optimized code for the fetch path, tiered up after some tens of fetches) ends in the
    /// warm-up, and nothing grows after it.
    /// </summary>
    [Fact]
    public async Task Thousands_of_types_from_one_stack_fetched_often_keep_the_profilers_memory_flat_and_the_totals_right()
    {
        var budget = new Dictionary<string, string> { ["PROFILINGKIT_PPROF_STACK_MEMORY_MB"] = "1" };
        using var soak = await SoakAsync("E2ETypes", TypesSource(), budget, warmUp: TimeSpan.FromSeconds(30), soak: TimeSpan.FromSeconds(30), fetchEvery: TimeSpan.FromSeconds(0.2));

        soak.AssertGrowth(atMost: 8L << 20, overPlainAtMost: 128L << 20); // 150 fetches in the soak: a leak of 55 kB a fetch fails
        var rows = GoPprof.ParseTop(soak.AssertTotals()).Rows;
        Assert.True(rows.Count > 0);
        var tags = GoPprof.Run("-tags", soak.Url + "allocs").EnsureSuccess().StandardOutput;
        Assert.Contains("[other types]", tags); // the type table reached its share of the budget
        Assert.Contains("E2ETypes.Box`2[", tags); // and kept the types it had
        Assert.Contains("have the type [other types]", soak.RawProfile());
    }

    private async Task<SoakRun> SoakAsync(string name, string source, Dictionary<string, string> environment, TimeSpan warmUp, TimeSpan soak, TimeSpan fetchEvery)
    {
        var package = PackedPackage.Shared;
        var port = FreePort.Next();
        var directory = package.CreateConsoleApp(name, source, $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{port}</DebugPprofAddress>");
        var output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, package.CommandEnvironment, "build", "-o", output);

        var profiled = Start(output, name, environment);
        var run = new SoakRun(log, profiled, $"http://127.0.0.1:{port}/debug/pprof/", warmUp);
        try
        {
            using var plain = Start(output, name, new Dictionary<string, string>(environment) { ["PROFILINGKIT_PPROF_ADDRESS"] = "off" });
            Assert.True(profiled.WaitForStandardError("serving profiles at", TimeSpan.FromSeconds(30)), profiled.StandardError);
            await ReadAndFetchAsync(run, plain, warmUp + soak, fetchEvery);
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    private static async Task ReadAndFetchAsync(SoakRun run, RunningProcess plain, TimeSpan duration, TimeSpan fetchEvery)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var (nextRead, nextFetch) = (ReadEvery, fetchEvery);
        while (clock.Elapsed < duration)
        {
            var due = nextRead < nextFetch ? nextRead : nextFetch;
            var wait = due - clock.Elapsed; // read once: the clock runs on between a check and its use
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            if (clock.Elapsed >= nextRead)
            {
                run.Samples.Add((clock.Elapsed, ResidentBytes(run.Profiled), ResidentBytes(plain))); // before the fetch: its own transient is not the table
                nextRead += ReadEvery;
            }

            if (clock.Elapsed >= nextFetch)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(run.Url + "allocs")).StatusCode); // a scraper's fetch
                nextFetch += fetchEvery;
                run.Fetches++;
            }
        }
    }

    /// <summary>A soak's readings of the profiled app and the plain one, and the checks every workload makes of them.</summary>
    private sealed class SoakRun(ITestOutputHelper log, RunningProcess profiled, string url, TimeSpan warmUp) : IDisposable
    {
        public List<(TimeSpan At, long Profiled, long Plain)> Samples { get; } = [];

        public int Fetches { get; set; }

        public string Url => url;

        public RunningProcess Profiled => profiled;

        /// <summary>The profiled app grew by at most <paramref name="atMost"/> from the first half of the soak to the second (medians), and holds at most <paramref name="overPlainAtMost"/> more than the plain app.</summary>
        public void AssertGrowth(long atMost, long overPlainAtMost)
        {
            var soak = Samples.Where(sample => sample.At >= warmUp).ToList();
            var first = Median(soak.Take(soak.Count / 2).Select(sample => sample.Profiled));
            var second = Median(soak.Skip(soak.Count / 2).Select(sample => sample.Profiled));
            var overPlain = Median(soak.Select(sample => sample.Profiled - sample.Plain));
            var trail = string.Join("; ", Samples.Select(s => $"{s.At.TotalSeconds:0} s: {s.Profiled >> 20} MB ({s.Plain >> 20} MB off)"));
            log.WriteLine($"{Fetches} fetches; resident memory: {trail}; soak medians {first >> 20} MB then {second >> 20} MB, {overPlain >> 20} MB over the plain app");
            Assert.True(second - first <= atMost, $"the profiled app grew from {first >> 20} MB to {second >> 20} MB (medians of the soak's halves): {trail}");
            Assert.True(overPlain <= overPlainAtMost, $"the profiled app holds {overPlain >> 20} MB more than the same app without ProfilingKit: {trail}");
        }

        /// <summary>The worker stops and says what it allocated; the profile's total says the same within 2%. Returns go tool pprof's top.</summary>
        public string AssertTotals()
        {
            profiled.WriteLine("pause");
            var allocated = long.Parse(profiled.ReadLine(TimeSpan.FromSeconds(10)).Substring("allocated ".Length), CultureInfo.InvariantCulture);
            var top = GoPprof.Run("-top", "-sample_index=alloc_space", url + "allocs").EnsureSuccess().StandardOutput;
            var total = GoPprof.ParseTop(top).Total ?? throw new InvalidOperationException(top);
            log.WriteLine($"allocated {allocated:N0} bytes, the profile says {total:N0} ({total / allocated:0.0000})");
            Assert.InRange(total / allocated, 0.98, 1.02);
            return top;
        }

        public string RawProfile() => GoPprof.Run("-raw", url + "allocs").EnsureSuccess().StandardOutput;

        public void Dispose() => profiled.Dispose();
    }

    private static RunningProcess Start(string output, string name, Dictionary<string, string> environment)
    {
        var process = new RunningProcess(CommandLine.StartInfo(output, environment, [name + ".dll"]));
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
    /// 64 B to 4 KB at the bottom.
    /// </summary>
    private static string RecursionSource()
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

        return WorkerProgram("E2ERecursion", "var random = new Random(1);", "Step(random.Next(1, 61), random);", $$"""
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
            """);
    }

    /// <summary>One worker thread allocating, in turn, objects of 60 × 60 instantiations of one generic type.</summary>
    private static string TypesSource()
    {
        var classes = string.Concat(Enumerable.Range(0, 60).Select(i => $"public sealed class C{i} {{ }}\n"));
        var types = string.Join(", ", Enumerable.Range(0, 60).Select(i => $"typeof(C{i})"));
        return WorkerProgram(
            "E2ETypes",
            $"Type[] arguments = [{types}]; var types = arguments.SelectMany(a => arguments.Select(b => typeof(Box<,>).MakeGenericType(a, b))).ToArray(); var next = 0;",
            "Sink = Activator.CreateInstance(types[next++ % types.Length]);",
            members: "",
            declarations: "public sealed class Box<TA, TB> { public long A, B, C, D, E, F, G, H; }\n" + classes);
    }

    /// <summary>
    /// An app whose worker thread does <paramref name="step"/> until stdin says "pause", then prints
    /// the bytes it allocated, which <see cref="SoakRun.AssertTotals"/> compares with the profile.
    /// </summary>
    private static string WorkerProgram(string name, string setUp, string step, string members, string declarations = "") => $$"""
        using System.Runtime.CompilerServices;

        namespace {{name}};

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
                {{setUp}}
                var start = GC.GetAllocatedBytesForCurrentThread();
                while (!_paused) {{step}}
                Interlocked.Exchange(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - start);
            }

        {{members}}
        }

        {{declarations}}
        """;
}
