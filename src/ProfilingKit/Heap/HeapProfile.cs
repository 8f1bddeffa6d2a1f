using System.Globalization;
using ProfilingKit.Allocations;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Heap;

/// <summary>
/// Builds the Go-compatible <c>heap</c> profile: Go's four memory sample types with default
/// inuse_space. The alloc_* values are the allocs profile's samples (by allocation stack); the
/// inuse_* values come from a heap snapshot, by type, under one frame per type.
/// </summary>
internal static class HeapProfile
{
    /// <summary>The root frame of the live-heap samples, so they never mix with allocation stacks.</summary>
    public const string LiveHeapFrame = "[live heap]";

    public static Profile Build(HeapSnapshot heap, AllocationSnapshot allocations, MethodSymbolizer symbolizer, string mainBinary, DateTimeOffset now)
    {
        var builder = AllocationProfile.CreateBuilder(mainBinary, now)
            .SetDefaultSampleType(ProfileTypes.InuseSpace)
            .AddComment(Comment(heap));
        AllocationProfile.AddSamples(builder, allocations, symbolizer);

        var values = new long[4];
        var labels = new SampleLabel[1];
        foreach (var type in heap.Types)
        {
            values[2] = type.Objects;
            values[3] = type.Bytes;
            labels[0] = SampleLabel.String("type", type.TypeName);
            builder.AddSample(new[] { new Frame(type.TypeName), new Frame(LiveHeapFrame) }, values, labels);
        }

        return builder.Build();
    }

    private static string Comment(HeapSnapshot heap)
    {
        var pause = heap.Pause is { } p ? p.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "unknown";
        var complete = heap.Complete ? "" : " The walk did not finish in time: inuse values may be low.";
        if (heap.LostBatches > 0)
        {
            complete += string.Create(CultureInfo.InvariantCulture, $" {heap.LostBatches} batches of the walk's events were lost (EventPipe buffer full): inuse values are low.");
        }

        var found = string.Create(CultureInfo.InvariantCulture, $"{heap.Objects} objects, {heap.Bytes} bytes");
        var took = string.Create(CultureInfo.InvariantCulture, $"{heap.Elapsed.TotalMilliseconds:0} ms");
        return "ProfilingKit: inuse_* is a heap snapshot taken now (gcdump-style): a blocking gen2 GC listed every live object, " +
               found + ", by type under '" + LiveHeapFrame + "' (no allocation stacks). " +
               "That GC paused the app for " + pause + "; the request took " + took + "." + complete + " " +
               "alloc_* are the allocs profile's sampled allocations since start, by allocation stack.";
    }
}
