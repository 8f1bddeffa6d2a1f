using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Cpu;

/// <summary>All samples of one stack on one thread in one state, under one label set, and the time they stand for.</summary>
internal readonly record struct ThreadSample(ulong[] Stack, long ThreadId, ThreadSampleKind Kind, long Count, long Nanos)
{
    /// <summary>The profile labels the thread ran under when sampled (<c>ProfileLabels.Set</c>); none outside any.</summary>
    public IReadOnlyList<SampleLabel> Labels { get; init; } = [];
}

/// <summary>
/// What one SampleProfiler session gathered: the samples, how many there were, the median gap
/// between two samples of a thread (the effective sampling period), how long the session lasted,
/// and the CPU time the OS charged to each thread meanwhile (null where the OS does not say), and
/// the part of the window the sampler ran (1, or less where it sampled in slices and the values are scaled up),
/// which sampler took them, how many samples the kernel sampler lost to full buffers, and how many threads it could not sample.
/// </summary>
internal sealed record ThreadSamples(
    IReadOnlyList<ThreadSample> Samples,
    long SampleCount,
    long TypicalIntervalNanos,
    TimeSpan Duration,
    IReadOnlyDictionary<long, long>? ThreadCpuNanos,
    double SampledFraction = 1,
    CpuSampler Sampler = CpuSampler.Runtime,
    long LostSamples = 0,
    int UnsampledThreads = 0);

/// <summary>Who took a window's samples.</summary>
internal enum CpuSampler
{
    /// <summary>The runtime's SampleProfiler: every managed thread, about every millisecond of wall time, at safe points.</summary>
    Runtime,

    /// <summary>The kernel (perf_event_open, task clock): each thread every period of its own CPU time, wherever it is.</summary>
    Kernel,
}
