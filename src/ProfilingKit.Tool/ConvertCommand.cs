using System.Globalization;
using System.Text.RegularExpressions;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.TraceFiles;

namespace ProfilingKit.Tool;

/// <summary>
/// <c>dotnet pprof convert TRACE.nettrace [-o OUT.pb.gz] [-profile allocs|cpu|wall|contention]</c>: a trace
/// recorded by dotnet-trace, dotnet-monitor or an EventPipe file session becomes the profile the endpoint
/// would have served (<see cref="TraceFile"/>: the same aggregation, weighting, names and comments).
/// Without <c>-profile</c> it takes what the trace has, allocations first; without <c>-o</c> it writes
/// <c>TRACE.KIND.pb.gz</c> beside the trace. Nothing is written unless the whole trace was read.
/// </summary>
internal static partial class ConvertCommand
{
    /// <summary>The stacks the tool may keep before it merges the rarest: a file is read once, so far more than in process.</summary>
    private const long BudgetBytes = 256L << 20;

    /// <summary>The -profile names, in the order the default tries them, and the events each is made of.</summary>
    private static readonly (string Name, TraceProfileKind Kind)[] Kinds =
    [
        ("allocs", TraceProfileKind.Allocations), ("cpu", TraceProfileKind.Cpu), ("contention", TraceProfileKind.Contention), ("wall", TraceProfileKind.Wall),
    ];

    public static int Run(Tool tool, ToolOptions options)
    {
        if (options.Sources.Count != 1)
        {
            throw new ToolException(options.Sources.Count == 0
                ? "convert needs a trace: dotnet pprof convert TRACE.nettrace [-o OUT.pb.gz] [-profile allocs|cpu|wall|contention]"
                : $"convert reads one trace, not {options.Sources.Count}");
        }

        var tracePath = options.Sources[0];
        var requested = Array.Find(Kinds, kind => kind.Name == options.Profile);
        if (options.Profile is not null && requested.Name is null)
        {
            throw new ToolException($"-profile {options.Profile} is not a profile convert makes; choose allocs, cpu, wall or contention");
        }

        using var trace = Open(tracePath);
        var (name, kind) = requested.Name is null ? Array.Find(Kinds, candidate => trace.EventCount(candidate.Kind) > 0) : requested;
        if (name is null)
        {
            throw new ToolException($"{tracePath} has no AllocationSampled, thread-sample or contention events to make a profile of.{AllocationTicks(trace)} Record {RecordingHint(null)}");
        }

        var events = trace.EventCount(kind);
        if (events == 0)
        {
            var ticks = kind == TraceProfileKind.Allocations ? AllocationTicks(trace) : "";
            throw new ToolException($"{tracePath} has no {EventsOf(kind)}, so no {name} profile.{ticks} Record them: {RecordingHint(kind)}");
        }

        var profile = trace.Build(kind, trace.MainBinary ?? Path.Combine(Path.GetDirectoryName(trace.Path)!, AppName(tracePath)), note: $"ProfilingKit: converted from {Path.GetFileName(tracePath)} by dotnet pprof convert.");
        var outputPath = Path.GetFullPath(options.Output ?? Path.Combine(Path.GetDirectoryName(trace.Path)!, AppName(tracePath) + "." + name + ".pb.gz"));
        Write(profile, outputPath);

        tool.Status.WriteLine(
            $"converted {Path.GetFileName(tracePath)} ({Megabytes(trace.Length)}) to the {name} profile: {events.ToString("N0", CultureInfo.InvariantCulture)} {Unit(kind)}, " +
            $"{profile.Sample.Count.ToString("N0", CultureInfo.InvariantCulture)} stacks, {Total(profile, kind)}{(requested.Name is null ? " (-profile chooses another)" : "")}");
        tool.Out.WriteLine(outputPath);
        return 0;
    }

    private static TraceFile Open(string tracePath)
    {
        try
        {
            return TraceFile.Read(tracePath, BudgetBytes);
        }
        catch (TraceFileException e)
        {
            throw new ToolException(e.Message, e);
        }
    }

    /// <summary>Writes beside the target and moves into place, so a failure never leaves half a profile at <paramref name="outputPath"/>.</summary>
    private static void Write(Profile profile, string outputPath)
    {
        var partial = outputPath + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            using (var stream = File.Create(partial))
            {
                ProfileSerializer.WriteGzip(profile, stream);
            }

            File.Move(partial, outputPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new ToolException($"could not write {outputPath}: {e.Message}", e);
        }
    }

    /// <summary>Why a trace recorded for allocations may still have no AllocationSampled: it has the older, biased GCAllocationTick instead.</summary>
    private static string AllocationTicks(TraceFile trace) => trace.AllocationTicks == 0
        ? ""
        : $" It has {trace.AllocationTicks.ToString("N0", CultureInfo.InvariantCulture)} GCAllocationTick events (keyword GC at Verbose, what dotnet-trace's gc-verbose profile records), " +
            "which attribute allocations to stacks with a bias, so convert does not use them.";

    /// <summary>
    /// The app's name as the trace's file name gives it, without dotnet-trace's <c>_yyyyMMdd_HHmmss</c>: the output's
    /// name, and beside the trace the mapping's file (a path, never a bare name a namespace pattern would match) in a
    /// trace that does not record its process's command line.
    /// </summary>
    private static string AppName(string tracePath) => DotnetTraceTimestamp().Replace(Path.GetFileNameWithoutExtension(tracePath), "");

    private static string EventsOf(TraceProfileKind kind) => kind switch
    {
        TraceProfileKind.Allocations => "AllocationSampled events (Microsoft-Windows-DotNETRuntime, keyword 0x80000000000, .NET 10+)",
        TraceProfileKind.Contention => "ContentionStart/ContentionStop events (Microsoft-Windows-DotNETRuntime, keyword 0x4000)",
        TraceProfileKind.Cpu => "thread samples of managed code (Microsoft-DotNETCore-SampleProfiler)",
        _ => "thread samples (Microsoft-DotNETCore-SampleProfiler)",
    };

    /// <summary>The dotnet-trace command line that records the events of <paramref name="kind"/> (of every profile when null).</summary>
    private static string RecordingHint(TraceProfileKind? kind) => kind switch
    {
        TraceProfileKind.Allocations => "`dotnet-trace collect --clrevents allocationsampling -- APP` (Microsoft-Windows-DotNETRuntime:0x80000000000:5; .NET 10+).",
        TraceProfileKind.Contention => "`dotnet-trace collect --clrevents contention -- APP` (Microsoft-Windows-DotNETRuntime:0x4000:4).",
        TraceProfileKind.Cpu or TraceProfileKind.Wall => "`dotnet-trace collect -- APP` (its default profile dotnet-sampled-thread-time has Microsoft-DotNETCore-SampleProfiler).",
        _ => "allocations with `dotnet-trace collect --clrevents allocationsampling -- APP`, CPU and wall time with `dotnet-trace collect -- APP`, " +
            "lock contention with `dotnet-trace collect --clrevents contention -- APP`; or all at once: `dotnet-trace collect --profile dotnet-sampled-thread-time --clrevents allocationsampling+contention -- APP`.",
    };

    private static string Unit(TraceProfileKind kind) => kind switch
    {
        TraceProfileKind.Allocations => "AllocationSampled samples",
        TraceProfileKind.Contention => "contentions",
        _ => "thread samples",
    };

    /// <summary>What the profile adds up to, in the words of its default sample type.</summary>
    private static string Total(Profile profile, TraceProfileKind kind)
    {
        var index = kind == TraceProfileKind.Allocations ? 1 : profile.SampleType.Count - 1; // alloc_space; cpu, wall, delay
        var total = profile.Sample.Sum(sample => sample.Value[index]);
        return kind == TraceProfileKind.Allocations
            ? "estimated " + Megabytes(total) + " allocated"
            : (total / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + " s " + (kind switch { TraceProfileKind.Cpu => "on CPU", TraceProfileKind.Wall => "of thread time", _ => "waited" });
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    [GeneratedRegex(@"_\d{8}_\d{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex DotnetTraceTimestamp();
}
