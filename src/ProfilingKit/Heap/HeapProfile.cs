using System.Globalization;
using ProfilingKit.Allocations;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

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

    /// <param name="heap">The live heap: the inuse_* samples.</param>
    /// <param name="allocations">The sampled allocations: the alloc_* samples.</param>
    /// <param name="symbolize">Names the allocation stacks (leaf first).</param>
    /// <param name="mainBinary">The main binary's name.</param>
    /// <param name="now">The profile's time.</param>
    /// <param name="comment">pprof's header, usually <see cref="Comment"/>.</param>
    public static Profile Build(HeapSnapshot heap, AllocationSnapshot allocations, Func<ulong[], List<Frame>> symbolize, string mainBinary, DateTimeOffset now, string comment)
    {
        var builder = AllocationProfile.CreateBuilder(mainBinary, now)
            .SetDefaultSampleType(ProfileTypes.InuseSpace)
            .AddComment(comment);
        AllocationProfile.AddSamples(builder, allocations, symbolize);

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

    /// <summary>
    /// What the profile holds and what the snapshot cost; <paramref name="window"/> is the length of a
    /// delta (<c>seconds=N</c>), whose alloc_* values are the window's alone, or null for everything since start.
    /// </summary>
    public static string Comment(HeapSnapshot heap, TimeSpan? window)
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
               (window is { } w
                   ? string.Create(CultureInfo.InvariantCulture, $"alloc_* are the allocations sampled in the last {w.TotalSeconds:0.#} s (seconds=N: end minus start), by allocation stack; inuse_* is the snapshot at the end, not a difference.")
                   : "alloc_* are the allocs profile's sampled allocations since start, by allocation stack.");
    }
}
