using ProfilingKit.Cpu;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Tests;

public class ThreadSampleCollectorTests
{
    private const long Millisecond = 1_000_000; // timestamps in nanoseconds: frequency 1e9
    private static readonly EventMetadata ThreadSample = new(1, ClrEvents.SampleProfilerProvider, ClrEvents.ThreadSampleEventId, 0);
    private static readonly ulong[] Hot = { 0x1000, 0x2000 };

    [Fact]
    public void Each_sample_is_worth_the_measured_gap_since_its_threads_previous_one()
    {
        var collector = new ThreadSampleCollector(_ => false, 1_000_000_000);

        Add(collector, thread: 7, time: 0, ThreadSampleKind.Managed);
        Add(collector, thread: 7, time: 3 * Millisecond, ThreadSampleKind.Managed);
        Add(collector, thread: 7, time: 8 * Millisecond, ThreadSampleKind.External);

        var result = collector.Result(TimeSpan.FromMilliseconds(8), threadCpuNanos: null);
        var managed = Assert.Single(result.Samples, s => s.Kind == ThreadSampleKind.Managed);
        var external = Assert.Single(result.Samples, s => s.Kind == ThreadSampleKind.External);
        Assert.Equal(2, managed.Count);
        Assert.Equal(5 * Millisecond, external.Nanos);
        Assert.Equal(3 * Millisecond + result.TypicalIntervalNanos, managed.Nanos); // the first sample has no gap: one typical interval
    }

    [Fact]
    public void Profiler_threads_are_left_out_and_long_gaps_are_capped()
    {
        var collector = new ThreadSampleCollector(thread => thread == 99, 1_000_000_000);

        Add(collector, thread: 99, time: 0, ThreadSampleKind.Managed);
        Add(collector, thread: 99, time: 4 * Millisecond, ThreadSampleKind.Managed);
        Add(collector, thread: 7, time: 0, ThreadSampleKind.Managed);
        Add(collector, thread: 7, time: 5000 * Millisecond, ThreadSampleKind.Managed);

        var result = collector.Result(TimeSpan.FromSeconds(5), threadCpuNanos: null);
        var sample = Assert.Single(result.Samples);
        Assert.Equal(7, sample.ThreadId);
        Assert.True(sample.Nanos <= 100 * Millisecond + result.TypicalIntervalNanos, $"{sample.Nanos} ns: a 5 s gap means the thread was not sampled, not that it ran");
    }

    [Fact]
    public void Managed_time_per_thread_is_held_to_what_the_os_charged_and_the_rest_counts_as_waiting()
    {
        var samples = new List<ThreadSample>
        {
            new(Hot, 1, ThreadSampleKind.Managed, 70, 700 * Millisecond),
            new(Hot[..1], 1, ThreadSampleKind.Managed, 30, 300 * Millisecond),
            new(Hot, 2, ThreadSampleKind.Managed, 100, 1000 * Millisecond),
            new(Hot, 3, ThreadSampleKind.Managed, 10, 100 * Millisecond),
        };
        var osCpu = new Dictionary<long, long> { [1] = 500 * Millisecond, [2] = 0, [3] = 900 * Millisecond };

        var split = ThreadTimeProfile.SplitByOsCpuTime(samples, osCpu);

        var managed = split.Where(s => s.Kind == ThreadSampleKind.Managed).ToList();
        Assert.Equal(new[] { 350 * Millisecond, 150 * Millisecond }, managed.Where(s => s.ThreadId == 1).Select(s => s.Nanos)); // the 70/30 split is kept
        Assert.DoesNotContain(managed, s => s.ThreadId == 2);
        Assert.Equal(100 * Millisecond, managed.Single(s => s.ThreadId == 3).Nanos); // the rest was native code
        Assert.Equal(1000 * Millisecond, split.Where(s => s.ThreadId == 2 && s.Kind == ThreadSampleKind.External).Sum(s => s.Nanos)); // idle: waiting
        Assert.Equal(samples.Sum(s => s.Nanos), split.Sum(s => s.Nanos)); // wall time is neither lost nor made up
    }

    private static void Add(ThreadSampleCollector collector, long thread, long time, ThreadSampleKind kind)
    {
        var payload = BitConverter.GetBytes((uint)kind);
        collector.OnEvent(new TraceEventRecord(ThreadSample, 8, thread, time, Hot, payload));
    }
}
