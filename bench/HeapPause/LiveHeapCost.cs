using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Testing;

namespace ProfilingKit.Bench.HeapPause;

/// <summary>
/// What following the live heap costs (docs/benchmarks/live-heap.md). Usage: HeapPause cost MODE MEGABYTES SECONDS RATE:
/// MODE <c>off</c> (the endpoint as shipped) or <c>live</c> (<see cref="DebugPprofOptions.FollowLiveHeap"/>); a live heap of
/// MEGABYTES in small objects; then SECONDS of garbage at RATE MB/s, paced (the CPU it took, the GC pauses), SECONDS as fast
/// as one thread allocates (MB/s), and one <c>heap</c> request (by stack where followed) and one <c>heap?by=type</c>
/// snapshot, each with its request time and the longest stall. Prints one Markdown row (and, with LIVE_HEAP_COST_COMMENTS=1, the profiles' comments on stderr).
/// </summary>
internal static class LiveHeapCost
{
    public static object? Sink;

    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args[0];
        var megabytes = int.Parse(args[1], CultureInfo.InvariantCulture);
        var seconds = int.Parse(args[2], CultureInfo.InvariantCulture);
        var rate = int.Parse(args[3], CultureInfo.InvariantCulture);
        var port = FreePort.Next();
        if (!DebugPprof.Start(new DebugPprofOptions { Address = $"127.0.0.1:{port}", FollowLiveHeap = mode == "live" }) || !DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)))
        {
            Console.Error.WriteLine("the endpoint or sampling did not start");
            return 1;
        }

        var kept = HeapShape.SmallObjects.Build(megabytes);
        GC.Collect();

        // Paced: RATE MB/s of 100-byte arrays in 10 ms steps, one in a hundred kept a while (a ring), so gen1 has work too.
        var ring = new object?[4096];
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var pausesBefore = GC.GetTotalPauseDuration();
        var gcsBefore = GC.CollectionCount(0);
        var watch = Stopwatch.StartNew();
        long step = 0, slot = 0;
        var perStep = rate * 1_000_000L / 100 / 124; // 124 bytes per 100-byte array
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < perStep; i++)
            {
                var array = new byte[100];
                if (i % 100 == 0) ring[slot++ & 4095] = array;
                Sink = array;
            }

            var next = TimeSpan.FromMilliseconds(10 * ++step);
            if (next > watch.Elapsed) Thread.Sleep(next - watch.Elapsed);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / watch.Elapsed.TotalSeconds;
        var pauses = GC.GetTotalPauseDuration() - pausesBefore;
        var gcs = GC.CollectionCount(0) - gcsBefore;
        var allocatedRate = step * perStep * 124 / watch.Elapsed.TotalSeconds / 1e6;

        // As fast as one thread allocates.
        var before = GC.GetAllocatedBytesForCurrentThread();
        watch.Restart();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 10_000; i++)
            {
                var array = new byte[100];
                if (i % 100 == 0) ring[slot++ & 4095] = array;
                Sink = array;
            }
        }

        var throughput = (GC.GetAllocatedBytesForCurrentThread() - before) / watch.Elapsed.TotalSeconds / 1e6;

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var probe = new StallProbe();
        var (heapTime, heapStall, heapInuse) = await Fetch(http, probe, $"http://127.0.0.1:{port}/debug/pprof/heap");
        var (typeTime, typeStall, typeInuse) = await Fetch(http, probe, $"http://127.0.0.1:{port}/debug/pprof/heap?by=type");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {mode} | {allocatedRate:0} MB/s | {cpu * 100:0.0}% | {pauses.TotalMilliseconds:0} ms ({gcs} GCs) | {throughput:0} MB/s | {heapInuse:0.0} MB, {heapTime:0} ms, stall {heapStall:0} ms | {typeInuse:0.0} MB, {typeTime:0} ms, stall {typeStall:0} ms |"));
        GC.KeepAlive(kept);
        GC.KeepAlive(ring);
        return 0;
    }

    private static async Task<(double Milliseconds, double Stall, double InuseMegabytes)> Fetch(HttpClient http, StallProbe probe, string url)
    {
        probe.Reset();
        var watch = Stopwatch.StartNew();
        var bytes = await http.GetByteArrayAsync(url);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var stall = probe.LongestGap.TotalMilliseconds;
        var profile = Profile.Parser.ParseFrom(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var inuse = profile.Sample.Sum(sample => sample.Value[3]) / 1048576.0;
        if (Environment.GetEnvironmentVariable("LIVE_HEAP_COST_COMMENTS") == "1") foreach (var comment in profile.Comment) Console.Error.WriteLine(profile.StringTable[(int)comment]);
        return (elapsed, stall, inuse);
    }
}
