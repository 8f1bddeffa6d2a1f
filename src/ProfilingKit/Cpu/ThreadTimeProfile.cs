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

    public static Profile BuildCpu(ThreadSamples samples, MethodSymbolizer symbolizer, string mainBinary, DateTimeOffset end, string? note)
    {
        var managed = samples.Samples.Where(sample => sample.Kind == ThreadSampleKind.Managed).ToList();
        return Build(samples, CapToOsCpuTime(managed, samples.ThreadCpuNanos), symbolizer, mainBinary, end, CpuTypes, CpuComment(samples), note);
    }

    public static Profile BuildWall(ThreadSamples samples, MethodSymbolizer symbolizer, string mainBinary, DateTimeOffset end, string? note) =>
        Build(samples, samples.Samples, symbolizer, mainBinary, end, WallTypes, WallComment(samples), note);

    /// <summary>
    /// Scales each thread's managed samples down so that they add up to no more than the CPU time
    /// the OS charged that thread in the window; a thread the OS saw idle drops out. Threads the OS
    /// charged more keep their samples: the rest of their CPU time was native code.
    /// </summary>
    internal static List<ThreadSample> CapToOsCpuTime(List<ThreadSample> managed, IReadOnlyDictionary<long, long>? threadCpuNanos)
    {
        if (threadCpuNanos is null) return managed;

        var sampledByThread = managed.GroupBy(sample => sample.ThreadId).ToDictionary(thread => thread.Key, thread => thread.Sum(sample => sample.Nanos));
        var capped = new List<ThreadSample>(managed.Count);
        foreach (var sample in managed)
        {
            var sampled = sampledByThread[sample.ThreadId];
            // A thread missing from the reading ended during the window; its samples are all there is.
            if (!threadCpuNanos.TryGetValue(sample.ThreadId, out var spent) || spent >= sampled)
            {
                capped.Add(sample);
                continue;
            }

            var share = Math.Max(0, spent) / (double)sampled;
            var nanos = (long)(sample.Nanos * share);
            if (nanos > 0) capped.Add(sample with { Nanos = nanos, Count = Math.Max(1, (long)Math.Round(sample.Count * share)) });
        }

        return capped;
    }

    private static Profile Build(
        ThreadSamples samples,
        IReadOnlyList<ThreadSample> included,
        MethodSymbolizer symbolizer,
        string mainBinary,
        DateTimeOffset end,
        IReadOnlyList<ValueTypeName> types,
        string comment,
        string? note)
    {
        symbolizer.PrepareFor(included.Select(sample => sample.Stack));

        var builder = new ProfileBuilder(types, mainBinary)
            .SetPeriod(types[1], samples.TypicalIntervalNanos)
            .SetTime(end)
            .SetDuration(samples.Duration)
            .AddComment(comment);
        if (note is not null) builder.AddComment(note);

        var values = new long[2];
        foreach (var sample in included)
        {
            var frames = symbolizer.Symbolize(sample.Stack);
            if (sample.Kind == ThreadSampleKind.External) frames.Insert(0, new Frame(WaitingOrNativeFrame));
            if (frames.Count == 0) frames.Add(new Frame(MethodSymbolizer.NativeCodeFrame));

            values[0] = sample.Count;
            values[1] = sample.Nanos;
            builder.AddSample(frames, values);
        }

        return builder.Build();
    }

    private static string CpuComment(ThreadSamples samples) =>
        "ProfilingKit: CPU time of managed code. The runtime's SampleProfiler samples every managed thread about every " +
        Milliseconds(samples.TypicalIntervalNanos) + " here; this profile keeps the samples of threads that were running managed code, " +
        "each valued by the measured time since that thread's previous sample, and no more per thread than the CPU time the OS charged that thread " +
        "(the sampler also reports some idle threads as running). Not included: native code and P/Invoke, the GC, the JIT, the kernel.";

    private static string WallComment(ThreadSamples samples) =>
        "ProfilingKit: wall-clock time of every thread that runs managed code, sampled about every " +
        Milliseconds(samples.TypicalIntervalNanos) + " and valued by the measured time since the thread's previous sample. " +
        WaitingOrNativeFrame + " marks time the thread was blocked, sleeping or in native code: the runtime cannot tell these apart.";

    private static string Milliseconds(long nanos) => (nanos / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
