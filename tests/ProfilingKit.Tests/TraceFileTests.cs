using Microsoft.Diagnostics.Tracing;
using ProfilingKit.Pprof;
using ProfilingKit.TraceFiles;

namespace ProfilingKit.Tests;

/// <summary>
/// <see cref="TraceFile"/>, the one pass over a .nettrace file that dotnet pprof convert and the MSBuild task share,
/// on a real trace of this process (allocations and lock contention, with rundown), checked against TraceEvent's
/// reading of the same bytes.
/// </summary>
public class TraceFileTests
{
    private const long ContentionKeyword = 0x4000;

    private static readonly Lazy<string> Trace = new(() =>
    {
        var bytes = SelfTrace.Record(
            () =>
            {
                Allocator.Run(30_000, 1_000);
                Contend();
            },
            SelfTrace.AllocationSamplingKeyword | ContentionKeyword | 0x10 | 0x8,
            requestRundown: true);
        var path = Path.Combine(Directory.CreateTempSubdirectory("profilingkit-tracefile-").FullName, "self.nettrace");
        File.WriteAllBytes(path, bytes);
        return path;
    });

    [Fact]
    public void Allocation_samples_are_the_ones_TraceEvent_reads_weighted_as_in_process_and_named_by_the_rundown()
    {
        var theirs = new List<long>();
        Process(source => source.Clr.AllocationSampling += e => theirs.Add(e.ObjectSize));

        using var trace = TraceFile.Read(Trace.Value);
        var profile = trace.Build(TraceProfileKind.Allocations, "self");

        Assert.True(theirs.Count > 100, $"30 MB allocated should give hundreds of samples, TraceEvent read {theirs.Count}");
        Assert.Equal(theirs.Count, trace.EventCount(TraceProfileKind.Allocations));
        var expected = theirs.Sum(size => size / (1 - Math.Pow(1 - 1.0 / 102400, size)));
        var bytes = profile.Sample.Sum(sample => sample.Value[1]);
        Assert.InRange(bytes / expected, 0.999, 1.001);
        Assert.Contains(profile.Function, function => profile.StringTable[(int)function.Name] == typeof(Allocator).FullName + ".Run");
        Assert.Equal(ProfileTypes.Memory.Select(type => type.Type), profile.SampleType.Select(type => profile.StringTable[(int)type.Type]));
    }

    [Fact]
    public void Contentions_are_the_ones_TraceEvent_reads_with_their_durations()
    {
        var durations = new List<double>();
        Process(source => source.Clr.ContentionStop += e => durations.Add(e.DurationNs));

        using var trace = TraceFile.Read(Trace.Value);
        var profile = trace.Build(TraceProfileKind.Contention, "self");

        Assert.True(durations.Count >= 5, $"two threads took turns on a lock ten times, TraceEvent read {durations.Count} contentions");
        Assert.Equal(durations.Count, trace.EventCount(TraceProfileKind.Contention));
        Assert.InRange(profile.Sample.Sum(sample => sample.Value[1]) / durations.Sum(), 0.999, 1.001);
        Assert.Contains(profile.Function, function => profile.StringTable[(int)function.Name] == typeof(TraceFileTests).FullName + "." + nameof(HoldTheLock));
    }

    [Fact]
    public void A_trace_without_thread_samples_has_none_to_count()
    {
        using var trace = TraceFile.Read(Trace.Value);

        Assert.Equal(0, trace.EventCount(TraceProfileKind.Cpu));
        Assert.Equal(0, trace.EventCount(TraceProfileKind.Wall));
    }

    private static void Process(Action<EventPipeEventSource> subscribe)
    {
        using var source = new EventPipeEventSource(Trace.Value);
        subscribe(source);
        source.Process();
    }

    private static readonly object Gate = new();

    /// <summary>Two threads take turns holding one lock for 20 ms, ten times each: about ten contentions.</summary>
    private static void Contend()
    {
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(HoldTheLock)).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void HoldTheLock()
    {
        for (var i = 0; i < 10; i++)
        {
            lock (Gate)
            {
                Thread.Sleep(20);
            }

            Thread.Sleep(1);
        }
    }
}
