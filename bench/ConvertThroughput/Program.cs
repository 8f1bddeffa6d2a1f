using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Usage: ConvertThroughput TRACE.nettrace DOTNET-PPROF.dll
// Converts the trace to an allocation profile twice, each cold in its own process as a user runs it:
//   ours:      dotnet DOTNET-PPROF.dll convert TRACE -profile allocs -o OUT (read, aggregate, symbolize, write pprof);
//   TraceLog:  this program, again as a child: TraceLog.CreateFromEventPipeDataFile (nettrace -> etlx), then
//              every AllocationSampled event's call stack resolved to method names and summed by stack, which is the
//              least a TraceEvent-based converter does before it can write a profile.
// Prints one Markdown table row: MB of trace per second for each, the ratio, peak working sets and sample counts.
if (args.Length == 3 && args[0] == "tracelog") return TraceLogConvert(args[1], args[2]);
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ConvertThroughput TRACE.nettrace DOTNET-PPROF.dll");
    return 2;
}

var trace = Path.GetFullPath(args[0]);
var megabytes = new FileInfo(trace).Length / 1e6;
var work = Directory.CreateTempSubdirectory("convert-bench-").FullName;
try
{
    var ours = Run("dotnet", [args[1], "convert", trace, "-profile", "allocs", "-o", Path.Combine(work, "ours.pb.gz")]);
    var theirs = Run("dotnet", [typeof(Program).Assembly.Location, "tracelog", trace, work]);
    var ourSamples = Between(ours.Error, "profile: ", " AllocationSampled");
    var theirSamples = Between(theirs.Output, "samples ", "\n");
    Console.WriteLine("| trace MB | ours s | ours MB/s | ours peak MB | TraceLog s | TraceLog MB/s | TraceLog peak MB | ratio | samples (ours / TraceLog) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {megabytes:0.0} | {ours.Seconds:0.00} | {megabytes / ours.Seconds:0.0} | {ours.PeakMegabytes:0} | {theirs.Seconds:0.00} | {megabytes / theirs.Seconds:0.0} | {theirs.PeakMegabytes:0} | **{theirs.Seconds / ours.Seconds:0.0}×** | {ourSamples} / {theirSamples} |"));
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static int TraceLogConvert(string trace, string work)
{
    var etlx = TraceLog.CreateFromEventPipeDataFile(trace, Path.Combine(work, "trace.etlx"));
    using var log = new TraceLog(etlx);
    var bytesByStack = new Dictionary<string, double>(StringComparer.Ordinal);
    long samples = 0;
    foreach (var data in log.Events)
    {
        if (data is not AllocationSampledTraceData sample) continue;
        samples++;
        var frames = new List<string>();
        for (var frame = data.CallStack(); frame is not null; frame = frame.Caller) frames.Add(frame.CodeAddress.FullMethodName);
        var key = string.Join(';', frames);
        var size = (double)sample.ObjectSize;
        bytesByStack[key] = bytesByStack.GetValueOrDefault(key) + size / (1 - Math.Pow(1 - 1.0 / 102400, size));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stacks {bytesByStack.Count}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"samples {samples:N0}"));
    return 0;
}

static (double Seconds, double PeakMegabytes, string Output, string Error) Run(string file, string[] arguments)
{
    var startInfo = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(startInfo)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    long peak = 0;
    while (!process.WaitForExit(20))
    {
        try
        {
            process.Refresh();
            peak = Math.Max(peak, process.PeakWorkingSet64);
        }
        catch (InvalidOperationException)
        {
            break; // exited between the two calls
        }
    }

    var seconds = watch.Elapsed.TotalSeconds;
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
    return (seconds, peak / 1e6, output.Result, error.Result);
}

static string Between(string text, string start, string end)
{
    var from = text.IndexOf(start, StringComparison.Ordinal);
    if (from < 0) return "?";
    from += start.Length;
    var to = text.IndexOf(end, from, StringComparison.Ordinal);
    return to < 0 ? text[from..].Trim() : text[from..to].Trim();
}
