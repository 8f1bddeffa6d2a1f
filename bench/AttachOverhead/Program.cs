using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using ProfilingKit;

// Usage: AttachOverhead plain|inprocess SECONDS
// Prints "ready PID", waits for a line on stdin (the driver attaches a sidecar first, or not), then
// runs the workload for SECONDS and prints "ops N wall S cpu S mb S": string concatenation
// interleaved with arithmetic, about 250 MB/s allocated on this machine kind. "inprocess" starts
// ProfilingKit's endpoint first and waits until it samples, as an app with EnableDebugPprof does.
var mode = args[0];
var seconds = double.Parse(args[1], CultureInfo.InvariantCulture);
if (mode == "inprocess")
{
    DebugPprof.Start(new DebugPprofOptions { Address = "127.0.0.1:0", Listen = false });
    DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30));
}

Console.WriteLine($"ready {Environment.ProcessId}");
Console.ReadLine();

var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var watch = Stopwatch.StartNew();
long ops = 0;
while (watch.Elapsed.TotalSeconds < seconds)
{
    Workload.Step();
    ops++;
}

var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6;
Console.WriteLine(FormattableString.Invariant($"ops {ops} wall {watch.Elapsed.TotalSeconds:0.000} cpu {cpu.TotalSeconds:0.000} mb {megabytes:0}"));
return 0;

internal static class Workload
{
    public static string Sink = "";

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Step()
    {
        var text = "";
        for (var i = 0; i < 20; i++) text += i.ToString(CultureInfo.InvariantCulture);
        Sink = text;
        var x = 1.0;
        for (var i = 0; i < 1000; i++) x = x * 1.0000001 + 1e-9;
        if (x < 0) Sink = "";
    }
}
