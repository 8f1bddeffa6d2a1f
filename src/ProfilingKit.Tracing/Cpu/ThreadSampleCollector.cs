using System.Runtime.InteropServices;
using ProfilingKit.Allocations;
using ProfilingKit.EventPipe;
using ProfilingKit.Labels;

namespace ProfilingKit.Cpu;

/// <summary>
/// Aggregates the SampleProfiler's ThreadSample events of one session by stack, thread, kind and label set,
/// valuing each sample by the measured time since the same thread's previous sample.
/// </summary>
/// <remarks>
/// The runtime's sampler has no fixed period: it sleeps about 1 ms after each pass, and a pass
/// (suspend the runtime, walk every managed thread) takes longer with more threads and a busy
/// machine; 2.6 to 4.4 ms per sample were measured on 2 cores. So the
/// measured gap is the value, as in PerfView's thread-time view. A gap far longer than usual means
/// the thread was not sampled in between (it had left managed code entirely), not that it spent all
/// that time in this stack, so gaps are capped at a few typical intervals.
/// A collector can also gather a window in slices, several sessions apart (<see cref="StartSlice"/>):
/// each slice's samples then stand for the part of the window it represents, by its weight.
/// </remarks>
internal sealed class ThreadSampleCollector : INetTraceHandler
{
    /// <summary>Before the typical interval is known, gaps longer than this are capped to it.</summary>
    private static readonly long InitialCapNanos = 100_000_000;

    /// <summary>How many typical intervals one sample may stand for at most.</summary>
    private const int CapInTypicalIntervals = 4;

    private const int RecentGapCount = 255;

    private readonly object _gate = new();
    private readonly Func<long, bool> _isProfilerThread;
    private readonly double _nanosPerTick;
    private readonly ILabelTimeline? _timeline;
    private readonly LabelSets? _labels;
    private readonly StackTable _stacks = new();
    private readonly Dictionary<SampleKey, Accumulator> _samples = new();
    private readonly Dictionary<long, long> _lastTimestamps = new();
    private readonly long[] _recentGaps = new long[RecentGapCount];
    private int _recentGapCount;
    private long _typicalGapNanos;
    private long _sampleCount;
    private double _weight = 1;

    /// <param name="isProfilerThread">Samples of these OS threads are left out: the profiler's own work.</param>
    /// <param name="timestampFrequency">QPC ticks per second of the traced process's timestamps.</param>
    /// <param name="timeline">Which label set each thread ran under when, in a process that records it (this one); null: no labels.</param>
    /// <param name="labels">What the label sets stand for.</param>
    public ThreadSampleCollector(Func<long, bool> isProfilerThread, long timestampFrequency, ILabelTimeline? timeline = null, LabelSets? labels = null)
    {
        _isProfilerThread = isProfilerThread;
        _timeline = labels is null ? null : timeline;
        _labels = labels;
        _nanosPerTick = 1e9 / timestampFrequency;
    }

    public void OnEvent(in TraceEventRecord record)
    {
        if (!ClrEvents.IsThreadSample(record.Metadata)
            || !ClrEventPayloads.TryReadThreadSample(record.Payload, out var kind)
            || kind == ThreadSampleKind.Error)
        {
            return;
        }

        lock (_gate)
        {
            // The profiler's threads still count for the timing of others' samples, never as samples.
            var gapNanos = GapSincePrevious(record.ThreadId, record.Timestamp);
            if (_isProfilerThread(record.ThreadId)) return;

            _sampleCount++;
            var key = new SampleKey(_stacks.Intern(record.Stack), record.ThreadId, kind, _timeline?.LabelSetAt(record.ThreadId, record.Timestamp) ?? 0);
            ref var sample = ref CollectionsMarshal.GetValueRefOrAddDefault(_samples, key, out _);
            sample.Count++;
            if (gapNanos < 0) sample.FirstSamples += _weight;
            else sample.Nanos += _weight * Math.Min(gapNanos, _typicalGapNanos > 0 ? CapInTypicalIntervals * _typicalGapNanos : InitialCapNanos);
        }
    }

    /// <summary>
    /// Begins a slice: a session whose samples stand for <paramref name="weight"/> times the time they
    /// cover (a 100 ms slice of each second weighs 10). A thread's first sample in the slice has no gap
    /// to a previous one of the same slice and counts one typical interval, as at the start of a window.
    /// </summary>
    public void StartSlice(double weight)
    {
        lock (_gate)
        {
            _weight = weight;
            _lastTimestamps.Clear();
        }
    }

    /// <summary>What was collected; a thread's first sample, which has no gap, counts one typical interval.</summary>
    /// <param name="duration">The window the samples stand for.</param>
    /// <param name="threadCpuNanos">The CPU time the OS charged each thread in the window, or null.</param>
    /// <param name="sampledFraction">The part of the window that was sampled (1 unless sampled in slices).</param>
    public ThreadSamples Result(TimeSpan duration, IReadOnlyDictionary<long, long>? threadCpuNanos, double sampledFraction = 1)
    {
        lock (_gate)
        {
            var typical = _typicalGapNanos > 0 ? _typicalGapNanos : MedianOfRecentGaps();
            var samples = new List<ThreadSample>(_samples.Count);
            foreach (var (key, value) in _samples)
            {
                samples.Add(new ThreadSample(_stacks[key.Stack], key.ThreadId, key.Kind, value.Count, (long)Math.Round(value.Nanos + value.FirstSamples * typical)) { Labels = _labels?.Of(key.Labels) ?? [] });
            }

            return new ThreadSamples(samples, _sampleCount, typical, duration, threadCpuNanos, sampledFraction);
        }
    }

    /// <summary>Nanoseconds since the thread's previous sample, or -1 for its first.</summary>
    private long GapSincePrevious(long threadId, long timestamp)
    {
        ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastTimestamps, threadId, out var seen);
        var previous = last;
        last = timestamp;
        if (!seen || timestamp <= previous) return -1;

        var gap = (long)((timestamp - previous) * _nanosPerTick);
        _recentGaps[_recentGapCount++ % RecentGapCount] = gap;
        if (_recentGapCount % RecentGapCount == 0) _typicalGapNanos = MedianOfRecentGaps();
        return gap;
    }

    private long MedianOfRecentGaps()
    {
        var count = Math.Min(_recentGapCount, RecentGapCount);
        if (count == 0) return 0;

        var gaps = _recentGaps[..count];
        Array.Sort(gaps);
        return gaps[count / 2];
    }

    private readonly record struct SampleKey(int Stack, long ThreadId, ThreadSampleKind Kind, int Labels);

    private struct Accumulator
    {
        public long Count;
        public double Nanos;
        public double FirstSamples;
    }
}
