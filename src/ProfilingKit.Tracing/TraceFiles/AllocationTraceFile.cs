using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TraceFiles;

/// <summary>
/// Reads a <c>.nettrace</c> file written by EventPipe (a test host's, dotnet-trace's) into the
/// Go-compatible allocs profile (<see cref="TraceFile"/>, as <c>dotnet pprof convert</c> does),
/// with the caller's comment, or says that the trace holds no allocation samples.
/// </summary>
internal static class AllocationTraceFile
{
    /// <summary>
    /// Reads <paramref name="tracePath"/>; throws a <see cref="TraceFileException"/> saying what is wrong with it.
    /// <paramref name="stalePdbModules"/> are the modules whose PDB is another build's, so their frames have no lines.
    /// </summary>
    public static Profile Read(string tracePath, string mainBinary, string comment, out IReadOnlyList<string> stalePdbModules)
    {
        using var trace = TraceFile.Read(tracePath);
        if (trace.EventCount(TraceProfileKind.Allocations) == 0)
        {
            throw new TraceFileException(TraceFileProblem.NoSamples,
                $"the trace {tracePath} holds no allocation samples: the runtime did not sample (AllocationSampled needs .NET 10, keyword 0x80000000000 at level 4 or 5) or the traced code allocated under 100 KB.");
        }

        var profile = trace.Build(TraceProfileKind.Allocations, mainBinary, comment);
        stalePdbModules = trace.StalePdbModules;
        return profile;
    }
}
