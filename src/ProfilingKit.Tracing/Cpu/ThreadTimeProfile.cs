using System.Globalization;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Cpu;

/// <summary>Builds the CPU profile (managed code on CPU) and the wall-clock profile (every thread, every state) from thread samples.</summary>
internal static class ThreadTimeProfile
{
    /// <summary>The leaf frame of wall-clock samples of threads that were not running managed code.</summary>
    public const string WaitingOrNativeFrame = "[waiting or native code]";

    public static IReadOnlyList<ValueTypeName> CpuTypes { get; } = new[] { new ValueTypeName("samples", "count"), new ValueTypeName("cpu", "nanoseconds") };

    public static IReadOnlyList<ValueTypeName> WallTypes { get; } = new[] { new ValueTypeName("samples", "count"), new ValueTypeName("wall", "nanoseconds") };

    /// <summary>
    /// The frames of the runtime's GC poll. The SampleProfiler's suspension sends a thread whose code
    /// polls (after a P/Invoke without a GC transition, such as Stopwatch.GetTimestamp's) into them
    /// and samples it there, so they are cut from the leaf end of its samples and the time goes to the
    /// caller that was running, as Go keeps its scheduler's frames out of users' flat time.
    /// </summary>
    private static readonly string[] SuspensionFramePrefixes = { "System.Threading.Thread.PollGC", "System.Threading.Thread.<PollGC>" };

    public static Profile BuildCpu(ThreadSamples samples, Func<ulong[], List<Frame>> symbolize, string mainBinary, DateTimeOffset end, string? note)
    {
        if (samples.Sampler == CpuSampler.Kernel)
        {
            // Every sample is on CPU; native code at the leaf keeps a frame of its own instead of going to its managed caller.
            return Build(samples, samples.Samples, stack => WithNativeLeaf(stack, symbolize), mainBinary, end, CpuTypes, KernelCpuComment(samples), note);
        }

        var onCpu = SplitByOsCpuTime(samples.Samples, samples.ThreadCpuNanos).Where(sample => sample.Kind == ThreadSampleKind.Managed).ToList();
        return Build(samples, onCpu, stack => WithoutSuspensionFrames(symbolize(stack)), mainBinary, end, CpuTypes, CpuComment(samples), note);
    }

    /// <summary>The frames of a sample without the GC poll frames at its leaf end (all of them where nothing else is left).</summary>
    internal static List<Frame> WithoutSuspensionFrames(List<Frame> frames)
    {
        var cut = 0;
        while (cut < frames.Count - 1 && IsSuspensionFrame(frames[cut].FunctionName)) cut++;
        frames.RemoveRange(0, cut);
        return frames;
    }

    private static bool IsSuspensionFrame(string name) => SuspensionFramePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static List<Frame> WithNativeLeaf(ulong[] stack, Func<ulong[], List<Frame>> symbolize)
    {
        var frames = symbolize(stack);
        if (frames.Count > 0 && stack.Length > 0 && symbolize([stack[0]]).Count == 0) frames.Insert(0, new Frame(StackSymbolizer.NativeCodeFrame));
        return frames;
    }

    public static Profile BuildWall(ThreadSamples samples, Func<ulong[], List<Frame>> symbolize, string mainBinary, DateTimeOffset end, string? note) =>
        Build(samples, SplitByOsCpuTime(samples.Samples, samples.ThreadCpuNanos), stack => WithoutSuspensionFrames(symbolize(stack)), mainBinary, end, WallTypes, WallComment(samples), note);

    /// <summary>
    /// Holds each thread's managed samples to the CPU time the OS charged that thread in the window:
    /// where they add up to more, each managed sample keeps only the thread's on-CPU share and the rest
    /// of its time moves to the same stack as an external (waiting) sample. Threads the OS charged
    /// more keep their samples: the rest of their CPU time was native code.
    /// </summary>
    internal static List<ThreadSample> SplitByOsCpuTime(IReadOnlyList<ThreadSample> samples, IReadOnlyDictionary<long, long>? threadCpuNanos)
    {
        if (threadCpuNanos is null) return samples.ToList();

        var managedByThread = samples
            .Where(sample => sample.Kind == ThreadSampleKind.Managed)
            .GroupBy(sample => sample.ThreadId)
            .ToDictionary(thread => thread.Key, thread => thread.Sum(sample => sample.Nanos));
        var split = new List<ThreadSample>(samples.Count);
        foreach (var sample in samples)
        {
            // A thread missing from the reading ended during the window; its samples are all there is.
            if (sample.Kind != ThreadSampleKind.Managed
                || !threadCpuNanos.TryGetValue(sample.ThreadId, out var spent)
                || spent >= managedByThread[sample.ThreadId])
            {
                split.Add(sample);
                continue;
            }

            var share = Math.Max(0, spent) / (double)managedByThread[sample.ThreadId];
            var onCpu = (long)(sample.Nanos * share);
            var onCpuCount = onCpu > 0 ? Math.Max(1, (long)Math.Round(sample.Count * share)) : 0;
            if (onCpu > 0) split.Add(sample with { Nanos = onCpu, Count = onCpuCount });
            if (sample.Count > onCpuCount) split.Add(sample with { Kind = ThreadSampleKind.External, Nanos = sample.Nanos - onCpu, Count = sample.Count - onCpuCount });
        }

        return split;
    }

    private static Profile Build(
        ThreadSamples samples,
        IReadOnlyList<ThreadSample> included,
        Func<ulong[], List<Frame>> symbolize,
        string mainBinary,
        DateTimeOffset end,
        IReadOnlyList<ValueTypeName> types,
        string comment,
        string? note)
    {
        var builder = new ProfileBuilder(types, mainBinary)
            .SetPeriod(types[1], samples.TypicalIntervalNanos)
            .SetTime(end)
            .SetDuration(samples.Duration)
            .AddComment(comment);
        if (samples.SampledFraction < 1) builder.AddComment(SlicesComment(samples.SampledFraction));
        if (note is not null) builder.AddComment(note);

        var values = new long[2];
        foreach (var sample in included)
        {
            var frames = symbolize(sample.Stack);
            if (sample.Kind == ThreadSampleKind.External) frames.Insert(0, new Frame(WaitingOrNativeFrame));
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            values[0] = sample.Count;
            values[1] = sample.Nanos;
            builder.AddSample(frames, values, sample.Labels);
        }

        return builder.Build();
    }

    private static string CpuComment(ThreadSamples samples) =>
        "ProfilingKit: CPU time of managed code. The runtime's SampleProfiler samples every managed thread about every " +
        Milliseconds(samples.TypicalIntervalNanos) + " here; this profile keeps the samples of threads that were running managed code, " +
        "each valued by the measured time since that thread's previous sample, with the GC poll frames its suspension stops threads in cut from the leaf" +
        (samples.ThreadCpuNanos is null
            ? " (no OS CPU times were at hand, so idle threads the sampler reports as running managed code count too). "
            : ", and no more per thread than the CPU time the OS charged that thread (the sampler also reports some idle threads as running managed code). ") +
        "Not included: native code and P/Invoke, the GC, the JIT, the kernel. The runtime's sampler stops threads about every millisecond of wall time " +
        "at safe points, so a thread that runs in bursts shorter than that is misattributed; the kernel's CPU sampler, used where it is allowed, is not.";

    private static string KernelCpuComment(ThreadSamples samples) =>
        "ProfilingKit: CPU time, sampled by the kernel: every thread of the process is sampled each " + Milliseconds(samples.TypicalIntervalNanos) +
        " of the CPU time it consumes (perf_event_open's task clock, user-space call chains), so each sample is worth that much CPU wherever it lands " +
        "and a sleeping or waiting thread gets none. Includes native code called from managed code (as " + StackSymbolizer.NativeCodeFrame + " at the leaf); " +
        "not included: the kernel's own time on a thread's behalf. Frames are named from the runtime's method events." +
        (samples.LostSamples > 0 ? " " + samples.LostSamples.ToString(CultureInfo.InvariantCulture) + " samples were lost to full buffers." : string.Empty) +
        (samples.UnsampledThreads > 0
            ? " " + samples.UnsampledThreads.ToString(CultureInfo.InvariantCulture) + " threads could not be sampled and are missing (the kernel's limit on perf buffers: /proc/sys/kernel/perf_event_mlock_kb and ulimit -l)."
            : string.Empty);

    private static string WallComment(ThreadSamples samples) =>
        "ProfilingKit: wall-clock time of every thread that runs managed code, sampled about every " +
        Milliseconds(samples.TypicalIntervalNanos) + " and valued by the measured time since the thread's previous sample" +
        (samples.ThreadCpuNanos is null ? ". " : "; a thread's managed samples beyond the CPU time the OS charged it count as waiting. ") +
        WaitingOrNativeFrame + " marks time the thread was blocked, sleeping or in native code: the runtime cannot tell these apart. " +
        "The GC poll frames the sampler's suspension stops threads in are cut from the leaf.";

    private static string SlicesComment(double fraction) =>
        "ProfilingKit: sampled in slices, " + (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "% of the window (a short slice every second), " +
        "so that being profiled continuously costs little; each sample's time is scaled by " + (1 / fraction).ToString("0.#", CultureInfo.InvariantCulture) +
        " into an estimate for the whole window, and no thread gets more than the CPU time the OS charged it. The samples column counts the samples taken.";

    private static string Milliseconds(long nanos) => (nanos / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
