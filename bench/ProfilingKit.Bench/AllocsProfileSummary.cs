using System.Diagnostics;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Bench;

/// <summary>
/// What a fetched /debug/pprof/allocs profile holds, to show that sampling really ran during a
/// benchmark: its size, its estimate of allocated bytes, and the share under the workload function.
/// </summary>
internal sealed record AllocsProfileSummary(
    int CompressedBytes,
    int Samples,
    long EstimatedAllocatedBytes,
    long EstimatedObjects,
    double WorkloadFunctionShare,
    double FetchSeconds)
{
    private const string WorkloadFunction = nameof(StringBuildingWorkload.MemoryIntensiveFunc);

    public static AllocsProfileSummary Fetch(string profilesUrl)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var stopwatch = Stopwatch.StartNew();
        var bytes = client.GetByteArrayAsync(profilesUrl + "allocs").GetAwaiter().GetResult();
        stopwatch.Stop();

        var profile = ProfileSerializer.Read(new MemoryStream(bytes));
        var objectsIndex = ValueIndex(profile, "alloc_objects");
        var bytesIndex = ValueIndex(profile, "alloc_space");

        // Locations with a frame of the workload function (inlined frames count too).
        var workloadFunctions = profile.Function
            .Where(function => profile.StringTable[(int)function.Name].Contains(WorkloadFunction, StringComparison.Ordinal))
            .Select(function => function.Id)
            .ToHashSet();
        var workloadLocations = profile.Location
            .Where(location => location.Line.Any(line => workloadFunctions.Contains(line.FunctionId)))
            .Select(location => location.Id)
            .ToHashSet();

        long allocatedBytes = 0, objects = 0, workloadBytes = 0;
        foreach (var sample in profile.Sample)
        {
            allocatedBytes += sample.Value[bytesIndex];
            objects += sample.Value[objectsIndex];
            if (sample.LocationId.Any(workloadLocations.Contains)) workloadBytes += sample.Value[bytesIndex];
        }

        return new AllocsProfileSummary(
            bytes.Length,
            profile.Sample.Count,
            allocatedBytes,
            objects,
            allocatedBytes == 0 ? 0 : (double)workloadBytes / allocatedBytes,
            stopwatch.Elapsed.TotalSeconds);
    }

    private static int ValueIndex(Profile profile, string type)
    {
        for (var i = 0; i < profile.SampleType.Count; i++)
        {
            if (profile.StringTable[(int)profile.SampleType[i].Type] == type) return i;
        }

        throw new InvalidDataException($"the profile has no {type} values");
    }
}
