using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.TraceFiles;

/// <summary>
/// Reads a <c>.nettrace</c> file written by EventPipe (a test host's, dotnet-trace's) into the
/// Go-compatible allocs profile, with the same reader, weighting and symbolization as the endpoint,
/// plus file:line from the PDBs beside the traced assemblies. The file's own rundown names the code.
/// </summary>
internal static class AllocationTraceFile
{
    /// <summary>Reads <paramref name="tracePath"/>; throws a <see cref="TraceFileException"/> saying what is wrong with it.</summary>
    public static Profile Read(string tracePath, string mainBinary, string comment)
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

        var methods = new MethodAddressMap();
        using var lines = new SourceLineMap();
        var sampler = new AllocationSampler(methods, _ => false, lines);
        try
        {
            using var stream = new FileStream(tracePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            new NetTraceReader(stream, sampler).Read();
        }
        catch (NetTraceFormatException e) when (e.IsTruncated)
        {
            throw new TraceFileException(TraceFileProblem.Truncated,
                $"the trace {tracePath} is truncated ({file.Length} bytes): the traced process was stopped before EventPipe finished writing it.", e);
        }
        catch (Exception e) when (e is NetTraceFormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new TraceFileException(TraceFileProblem.Corrupt, $"the trace {tracePath} is not a readable nettrace file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TraceFileException(TraceFileProblem.Missing, $"the trace {tracePath} could not be read: {e.Message}", e);
        }

        var snapshot = sampler.Snapshot();
        if (snapshot.SampleCount == 0)
        {
            throw new TraceFileException(TraceFileProblem.NoSamples,
                $"the trace {tracePath} holds no allocation samples: the runtime did not sample (AllocationSampled needs .NET 10, keyword 0x80000000000 at level 4 or 5) or the traced code allocated under 100 KB.");
        }

        var symbolizer = new StackSymbolizer(methods, lines);
        return AllocationProfile.Build(snapshot, symbolizer.Symbolize, mainBinary, new DateTimeOffset(file.LastWriteTimeUtc), comment);
    }
}
