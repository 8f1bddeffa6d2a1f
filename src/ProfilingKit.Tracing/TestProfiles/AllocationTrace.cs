using ProfilingKit.Pprof.Proto;
using ProfilingKit.TraceFiles;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// Reads a test host's .nettrace file into the Go-compatible allocs profile (<see cref="AllocationTraceFile"/>),
/// with the test run's comment, and turns what is wrong with a trace into the build warning that says it.
/// </summary>
internal static class AllocationTrace
{
    /// <summary>The comment pprof prints in the profile's header.</summary>
    public const string Comment =
        "ProfilingKit: allocations of a test run, sampled by the .NET runtime (AllocationSampled, about one per 100 KB per thread); " +
        "values are unbiased estimates. Test-framework frames are included: focus with go tool pprof -focus. " +
        "inuse_* values are not collected and are zero.";

    /// <summary>
    /// Reads <paramref name="tracePath"/>; throws a <see cref="TraceProblem"/> saying what is wrong with it.
    /// <paramref name="stalePdbModules"/>: the modules whose PDB is another build's (their frames have no lines).
    /// </summary>
    public static Profile Read(string tracePath, string mainBinary, out IReadOnlyList<string> stalePdbModules)
    {
        try
        {
            return AllocationTraceFile.Read(tracePath, mainBinary, Comment, out stalePdbModules);
        }
        catch (TraceFileException e)
        {
            var (code, hint) = e.Problem switch
            {
                TraceFileProblem.Truncated => (TraceProblemCodes.Truncated,
                    " VSTest stops the host 100 ms after the run unless VSTEST_TESTHOST_SHUTDOWN_TIMEOUT is longer; ProfilingKit sets it, so check whether something else ended the process."),
                TraceFileProblem.Corrupt => (TraceProblemCodes.Corrupt, ""),
                TraceFileProblem.NoSamples => (TraceProblemCodes.NoSamples, ""),
                _ => (TraceProblemCodes.Missing, ""),
            };
            throw new TraceProblem(code, e.Message + hint, e);
        }
    }
}
