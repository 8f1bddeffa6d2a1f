using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ProfilingKit;
using ProfilingKit.Bench.HeapPause;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Testing;

// Usage: HeapPause SHAPE MEGABYTES REQUESTS. Builds a live heap of MEGABYTES in the given shape, then
// fetches /debug/pprof/heap REQUESTS times and prints one Markdown row per request.
// HeapPause cost MODE MEGABYTES SECONDS RATE: what following the live heap costs (LiveHeapCost).
if (args[0] == "cost") return await LiveHeapCost.RunAsync(args[1..]);

var shape = HeapShape.Parse(args[0]);
var megabytes = int.Parse(args[1], CultureInfo.InvariantCulture);
var requests = int.Parse(args[2], CultureInfo.InvariantCulture);

var port = FreePort.Next();
if (!DebugPprof.Start($"127.0.0.1:{port}") || !DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)))
{
    Console.Error.WriteLine("the endpoint or sampling did not start");
    return 1;
}

var kept = shape.Build(megabytes);
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
var url = $"http://127.0.0.1:{port}/debug/pprof/heap";
using var probe = new StallProbe();
for (var i = 0; i < requests; i++)
{
    var pausesBefore = GC.GetTotalPauseDuration();
    probe.Reset();
    var watch = Stopwatch.StartNew();
    var bytes = await http.GetByteArrayAsync(url);
    var elapsed = watch.Elapsed;
    var runtimePause = GC.GetTotalPauseDuration() - pausesBefore;
    var stall = probe.LongestGap;

    var profile = Profile.Parser.ParseFrom(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
    long objects = 0, inuse = 0;
    foreach (var sample in profile.Sample)
    {
        objects += sample.Value[2];
        inuse += sample.Value[3];
    }

    var comment = profile.Comment.Select(c => profile.StringTable[(int)c]).First(c => c.Contains("paused the app for", StringComparison.Ordinal));
    var reported = comment.Split("paused the app for ")[1].Split(';')[0];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {shape.Name} | {i + 1} | {objects:N0} | {inuse / 1048576.0:0.0} | {reported} | {runtimePause.TotalMilliseconds:0.0} ms | {stall.TotalMilliseconds:0.0} ms | {elapsed.TotalMilliseconds:0} ms |"));
}

GC.KeepAlive(kept);
return 0;
