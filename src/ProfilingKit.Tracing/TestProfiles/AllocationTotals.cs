using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.TestProfiles;

/// <summary>What the build log says of a profile: the estimated bytes allocated and the functions that allocated most.</summary>
internal sealed class AllocationTotals
{
    private AllocationTotals(long totalBytes, IReadOnlyList<(Frame Function, long Bytes)> topFunctions)
    {
        TotalBytes = totalBytes;
        TopFunctions = topFunctions;
    }

    /// <summary>The sum of alloc_space: the estimated bytes allocated by the run.</summary>
    public long TotalBytes { get; }

    /// <summary>The functions with the most alloc_space of their own (pprof's "flat"), most first.</summary>
    public IReadOnlyList<(Frame Function, long Bytes)> TopFunctions { get; }

    public static AllocationTotals Of(Profile profile, int top)
    {
        var space = ProfileLocations.ValueIndex(profile, ProfileTypes.AllocSpace);
        var locations = new ProfileLocations(profile);
        var byFunction = new Dictionary<string, (Frame Frame, long Bytes)>(StringComparer.Ordinal);
        long total = 0;
        foreach (var sample in profile.Sample)
        {
            var bytes = sample.Value[space];
            total += bytes;
            if (sample.LocationId.Count == 0) continue;

            var leaf = locations[sample.LocationId[0]];
            byFunction.TryGetValue(leaf.FunctionName, out var entry);
            // The first line seen stands for the function in the log; pprof -list shows them all.
            byFunction[leaf.FunctionName] = (entry.Bytes == 0 ? leaf : entry.Frame, entry.Bytes + bytes);
        }

        var ranked = byFunction.Values
            .OrderByDescending(entry => entry.Bytes)
            .ThenBy(entry => entry.Frame.FunctionName, StringComparer.Ordinal)
            .Take(top)
            .Select(entry => (entry.Frame, entry.Bytes))
            .ToList();
        return new AllocationTotals(total, ranked);
    }
}
