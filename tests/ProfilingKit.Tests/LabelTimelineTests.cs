using System.Diagnostics;
using ProfilingKit.Diagnostics;
using ProfilingKit.Labels;

namespace ProfilingKit.Tests;

/// <summary>
/// The label timeline records nothing, and allocates nothing, until a profiler of the process will read it:
/// a profiled test host (which only traces itself to a file) gave each thread that ran a test a 48 KB ring.
/// </summary>
public class LabelTimelineTests
{
    [Fact]
    public void Until_enabled_a_thread_records_nothing_and_allocates_nothing_then_it_records_its_label_set()
    {
        var timeline = new LabelTimeline();

        var (thread, allocated) = OnNewThread(() => timeline.Record(5));
        Assert.Equal(0, allocated);
        Assert.Equal(0, timeline.LabelSetAt(thread, Stopwatch.GetTimestamp()));

        timeline.Enable();
        (thread, allocated) = OnNewThread(() => timeline.Record(5));
        Assert.True(allocated >= LabelTimeline.EntriesPerThread * 12, $"the thread's ring ({allocated} bytes)");
        Assert.Equal(5, timeline.LabelSetAt(thread, Stopwatch.GetTimestamp()));
    }

    /// <summary>Runs <paramref name="record"/> on a thread of its own (the ring is per thread); its OS id and the bytes it allocated.</summary>
    private static (long Thread, long Allocated) OnNewThread(Action record)
    {
        long thread = 0, allocated = 0;
        var worker = new Thread(() =>
        {
            thread = ProfilerThreads.CurrentOsThreadId();
            var before = GC.GetAllocatedBytesForCurrentThread();
            record();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        worker.Start();
        worker.Join();
        return (thread, allocated);
    }
}
