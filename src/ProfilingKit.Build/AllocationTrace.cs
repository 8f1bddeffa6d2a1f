using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Build;

/// <summary>
/// Reads a test host's .nettrace file into the Go-compatible allocs profile, with the runtime's own
/// reader, weighting and symbolization: the same profile the endpoint would serve, plus file:line
/// from the test's PDBs.
/// </summary>
internal static class AllocationTrace
{
    /// <summary>The comment pprof prints in the profile's header.</summary>
    public const string Comment =
        "ProfilingKit: allocations of a test run, sampled by the .NET runtime (AllocationSampled, about one per 100 KB per thread); " +
        "values are unbiased estimates. Test-framework frames are included: focus with go tool pprof -focus. " +
        "inuse_* values are not collected and are zero.";

    /// <summary>Reads <paramref name="tracePath"/>; throws a <see cref="TraceProblem"/> saying what is wrong with it.</summary>
    public static Profile Read(string tracePath, string mainBinary)
    {
        var file = new FileInfo(tracePath);
        if (!file.Exists)
        {
            throw new TraceProblem(TraceProblemCodes.Missing, $"no trace at {tracePath}.");
        }

        if (file.Length == 0)
        {
            throw new TraceProblem(TraceProblemCodes.Truncated,
                $"the trace {tracePath} is empty: the test host stopped before EventPipe wrote anything (was it killed?).");
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
            throw new TraceProblem(TraceProblemCodes.Truncated,
                $"the trace {tracePath} is truncated ({file.Length} bytes): the test host was stopped before EventPipe finished writing it. " +
                "VSTest stops the host 100 ms after the run unless VSTEST_TESTHOST_SHUTDOWN_TIMEOUT is longer; ProfilingKit sets it, so check whether something else ended the process.", e);
        }
        catch (Exception e) when (e is NetTraceFormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new TraceProblem(TraceProblemCodes.Corrupt, $"the trace {tracePath} is not a readable nettrace file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new TraceProblem(TraceProblemCodes.Missing, $"the trace {tracePath} could not be read: {e.Message}", e);
        }

        var snapshot = sampler.Snapshot();
        if (snapshot.SampleCount == 0)
        {
            throw new TraceProblem(TraceProblemCodes.NoSamples,
                $"the trace {tracePath} holds no allocation samples: the runtime did not sample (AllocationSampled needs .NET 10, keyword 0x80000000000 at level 4 or 5) or the tests allocated under 100 KB.");
        }

        var symbolizer = new StackSymbolizer(methods, lines);
        return AllocationProfile.Build(snapshot, symbolizer.Symbolize, mainBinary, new DateTimeOffset(file.LastWriteTimeUtc), Comment);
    }
}
