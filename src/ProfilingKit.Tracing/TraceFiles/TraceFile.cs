using System.Runtime.InteropServices;
using ProfilingKit.Allocations;
using ProfilingKit.Contention;
using ProfilingKit.Cpu;
using ProfilingKit.EventPipe;
using ProfilingKit.Labels;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.TraceFiles;

/// <summary>The profiles a <c>.nettrace</c> file can give, each from its own events.</summary>
internal enum TraceProfileKind
{
    /// <summary>Go's allocs profile, from AllocationSampled (weighted as in process).</summary>
    Allocations,

    /// <summary>Managed code on CPU, from the SampleProfiler's Managed thread samples.</summary>
    Cpu,

    /// <summary>Every thread's wall-clock time, from all the SampleProfiler's thread samples.</summary>
    Wall,

    /// <summary>Go's block profile, from ContentionStart/ContentionStop.</summary>
    Contention,
}

/// <summary>
/// One pass over a <c>.nettrace</c> file written by EventPipe (a test host's, dotnet-trace's, dotnet-monitor's)
/// with every aggregator the endpoint uses, so any of its profiles can be built from it afterwards: the same
/// reader, weighting and symbolization as in process, names from the file's rundown and file:line from the
/// PDBs beside the traced assemblies. Nothing of the traced process is known but the file, so no thread is
/// the profiler's and no OS CPU time caps the CPU profile.
/// </summary>
internal sealed class TraceFile : IDisposable
{
    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap _lines;
    private readonly AllocationSnapshot _allocations;
    private readonly ThreadSamples _threads;
    private readonly IReadOnlyList<ContentionSite> _contentions;

    private TraceFile(FileInfo file, MethodAddressMap methods, SourceLineMap lines, AllocationSnapshot allocations, ThreadSamples threads, IReadOnlyList<ContentionSite> contentions)
    {
        Path = file.FullName;
        Length = file.Length;
        Time = new DateTimeOffset(file.LastWriteTimeUtc);
        _methods = methods;
        _lines = lines;
        _allocations = allocations;
        _threads = threads;
        _contentions = contentions;
    }

    public string Path { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    /// <summary>
    /// How many GCAllocationTick events the trace holds: no profile is made of them (their per-stack
    /// attribution is biased), but they tell why a trace recorded for allocations has no AllocationSampled.
    /// </summary>
    public long AllocationTicks { get; private init; }

    /// <summary>When the trace was finished (the file's last write): the profiles' time.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>
    /// The traced process's main binary (<see cref="Symbols.MainBinary"/>), from the command line EventPipe
    /// records at the start of every session; null in a trace without it.
    /// </summary>
    public string? MainBinary { get; private init; }

    /// <summary>Reads <paramref name="tracePath"/>; throws a <see cref="TraceFileException"/> saying what is wrong with it.</summary>
    /// <param name="budgetBytes">The memory the allocation and contention stacks may use before the rarest merge.</param>
    public static TraceFile Read(string tracePath, long budgetBytes = AllocationSampler.DefaultBudgetBytes)
    {
        var file = new FileInfo(tracePath);
        if (!file.Exists)
        {
            throw new TraceFileException(TraceFileProblem.Missing, $"no trace at {tracePath}.");
        }

        if (file.Length == 0)
        {
            throw new TraceFileException(TraceFileProblem.Truncated,
                $"the trace {tracePath} is empty: the traced process stopped before EventPipe wrote anything (was it killed?).");
        }

        if (!StartsLikeNettrace(tracePath))
        {
            throw new TraceFileException(TraceFileProblem.Corrupt,
                $"the trace {tracePath} is not a readable nettrace file: it does not start with 'Nettrace' (EventPipe's format, as dotnet-trace and dotnet-monitor write it).");
        }

        var methods = new MethodAddressMap();
        var lines = new SourceLineMap();
        try
        {
            var labels = new LabelSets();
            var handler = new Aggregators(new AllocationSampler(methods, NoProfilerThread, lines, budgetBytes, labels), labels, budgetBytes);
            using (var stream = new FileStream(tracePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
            {
                handler.Reader = new NetTraceReader(stream, handler);
                handler.Reader.Read();
            }

            return new TraceFile(file, methods, lines, handler.Allocations.Snapshot(), handler.ThreadResult(), handler.Contentions?.Snapshot() ?? [])
            {
                AllocationTicks = handler.AllocationTicks,
                MainBinary = handler.CommandLine is { } commandLine ? Symbols.MainBinary.FromCommandLine(commandLine) : null,
            };
        }
        catch (Exception e)
        {
            lines.Dispose();
            if (Describe(e, tracePath, file.Length) is { } problem) throw problem;
            throw;
        }
    }

    /// <summary>How many events the profile of <paramref name="kind"/> is made of: samples, or contentions.</summary>
    public long EventCount(TraceProfileKind kind) => kind switch
    {
        TraceProfileKind.Allocations => _allocations.SampleCount,
        TraceProfileKind.Cpu => _threads.Samples.Where(sample => sample.Kind == ThreadSampleKind.Managed).Sum(sample => sample.Count),
        TraceProfileKind.Wall => _threads.Samples.Sum(sample => sample.Count),
        _ => _contentions.Sum(site => site.Count),
    };

    /// <summary>The profile of <paramref name="kind"/>, with the in-process profile's comment unless <paramref name="comment"/> replaces it, and <paramref name="note"/> after it.</summary>
    public Profile Build(TraceProfileKind kind, string mainBinary, string? comment = null, string? note = null)
    {
        var profile = BuildSymbolized(kind, mainBinary, comment, note);
        if (StalePdbModules.Count > 0)
        {
            // Known only once the frames were symbolized: the PDBs are opened as the first frame of each module asks.
            profile.Comment.Add(profile.StringTable.Count);
            profile.StringTable.Add($"ProfilingKit: the PDB of {string.Join(", ", StalePdbModules.Select(System.IO.Path.GetFileName))} is not the traced code's (the assembly was rebuilt after the trace was taken), so its frames have no source lines.");
        }

        return profile;
    }

    /// <summary>The modules whose PDB on disk belongs to another build than the traced code (<see cref="SourceLineMap.StalePdbModules"/>), once a profile was built.</summary>
    public IReadOnlyList<string> StalePdbModules => _lines.StalePdbModules;

    private Profile BuildSymbolized(TraceProfileKind kind, string mainBinary, string? comment, string? note)
    {
        var symbolizer = new StackSymbolizer(_methods, _lines);
        var symbolize = symbolizer.Symbolize;
        switch (kind)
        {
            case TraceProfileKind.Allocations:
                var builder = AllocationProfile.CreateBuilder(mainBinary, Time)
                    .SetDefaultSampleType(Pprof.ProfileTypes.AllocSpace)
                    .AddComment(comment ?? AllocationProfile.Comment);
                if (note is not null) builder.AddComment(note);
                AllocationProfile.AddSamples(builder, _allocations, symbolizer.SymbolizeAllocation);
                return builder.Build();
            case TraceProfileKind.Cpu:
                return ThreadTimeProfile.BuildCpu(_threads, symbolize, mainBinary, Time, note);
            case TraceProfileKind.Wall:
                return ThreadTimeProfile.BuildWall(_threads, symbolize, mainBinary, Time, note);
            default:
                var contentionComment = comment ?? ContentionProfile.BlockComment;
                return ContentionProfile.Build(_contentions, symbolize, mainBinary, Time, note is null ? contentionComment : contentionComment + " " + note);
        }
    }

    public void Dispose() => _lines.Dispose();

    private static bool NoProfilerThread(long threadId) => false;

    /// <summary>Whether the file starts with the nettrace magic, or with as much of it as a file cut short has.</summary>
    private static bool StartsLikeNettrace(string tracePath)
    {
        Span<byte> start = stackalloc byte[8];
        try
        {
            using var stream = new FileStream(tracePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return start[..read].SequenceEqual("Nettrace"u8[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFileException(TraceFileProblem.Missing, $"the trace {tracePath} could not be read: {e.Message}", e);
        }
    }

    private static TraceFileException? Describe(Exception e, string tracePath, long length) => e switch
    {
        NetTraceFormatException { IsTruncated: true } => new TraceFileException(TraceFileProblem.Truncated,
            $"the trace {tracePath} is truncated ({length} bytes): the traced process was stopped before EventPipe finished writing it.", e),
        NetTraceFormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException => new TraceFileException(TraceFileProblem.Corrupt,
            $"the trace {tracePath} is not a readable nettrace file: {e.Message}", e),
        IOException or UnauthorizedAccessException => new TraceFileException(TraceFileProblem.Missing, $"the trace {tracePath} could not be read: {e.Message}", e),
        _ => null,
    };

    /// <summary>
    /// Hands each event to the label sets, the allocation sampler (which also feeds the method and line maps), the thread
    /// sample collector and the contention sampler; the last two need the trace's clock, known once its header is read.
    /// </summary>
    private sealed class Aggregators(AllocationSampler allocations, LabelSets labels, long budgetBytes) : INetTraceHandler
    {
        /// <summary>EventPipe's own provider: its event 1, ProcessInfo, starts with the process's command line (UTF-16, NUL-terminated).</summary>
        private const string EventPipeProvider = "Microsoft-DotNETCore-EventPipe";
        private const int ProcessInfoEvent = 1;

        private long _firstSample = long.MaxValue;
        private long _lastSample = long.MinValue;

        public NetTraceReader? Reader { get; set; }

        public AllocationSampler Allocations { get; } = allocations;

        public ThreadSampleCollector? Threads { get; private set; }

        public ContentionSampler? Contentions { get; private set; }

        public long AllocationTicks { get; private set; }

        public string? CommandLine { get; private set; }

        public void OnLost(long count, long from, long to) => Allocations.OnLost(count, from, to);

        public void OnEvent(in TraceEventRecord record)
        {
            if (record.Metadata.EventId == ProcessInfoEvent && record.Metadata.ProviderName == EventPipeProvider)
            {
                CommandLine ??= FirstString(record.Payload);
                return;
            }

            if (Threads is null)
            {
                var frequency = Reader!.TimestampFrequency > 0 ? Reader.TimestampFrequency : TimeSpan.TicksPerSecond;
                Threads = new ThreadSampleCollector(NoProfilerThread, frequency);
                Contentions = new ContentionSampler(NoProfilerThread, frequency, budgetBytes, labels: labels);
            }

            labels.OnEvent(record);
            Allocations.OnEvent(record);
            if (ClrEvents.IsThreadSample(record.Metadata))
            {
                _firstSample = Math.Min(_firstSample, record.Timestamp);
                _lastSample = Math.Max(_lastSample, record.Timestamp);
                Threads.OnEvent(record);
            }
            else
            {
                if (record.Metadata.Kind == ClrEventKind.GCAllocationTick) AllocationTicks++;
                Contentions!.OnEvent(record);
            }
        }

        private static string FirstString(ReadOnlySpan<byte> payload)
        {
            var text = MemoryMarshal.Cast<byte, char>(payload);
            var end = text.IndexOf('\0');
            return new string(end < 0 ? text : text[..end]);
        }

        /// <summary>The thread samples, over the time from the first to the last.</summary>
        public ThreadSamples ThreadResult()
        {
            var frequency = Reader?.TimestampFrequency is > 0 and var known ? known : TimeSpan.TicksPerSecond;
            var duration = _lastSample > _firstSample ? TimeSpan.FromSeconds((_lastSample - _firstSample) / (double)frequency) : TimeSpan.Zero;
            return Threads?.Result(duration, threadCpuNanos: null)
                ?? new ThreadSamples([], SampleCount: 0, TypicalIntervalNanos: 0, duration, ThreadCpuNanos: null);
        }
    }
}
