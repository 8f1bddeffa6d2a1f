using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Contention;

/// <summary>
/// Builds Go's <c>block</c> and <c>mutex</c> profiles from lock contentions: sample types
/// <c>contentions/count</c> and <c>delay/nanoseconds</c>, period type <c>contentions/count</c>
/// with period 1, every sample a waiter's stack.
/// </summary>
internal static class ContentionProfile
{
    public static IReadOnlyList<ValueTypeName> Types { get; } = new[] { new ValueTypeName("contentions", "count"), new ValueTypeName("delay", "nanoseconds") };

    public const string BlockComment =
        "ProfilingKit: every lock contention the .NET runtime reports (ContentionStart/ContentionStop: Monitor and lock, System.Threading.Lock, and the runtime's native locks), " +
        "by the stack of the thread that had to wait, with how long it waited. Other blocking (Task.Wait, await, semaphores, I/O, Thread.Sleep) raises no event and is not here; the wall profile shows it.";

    public const string MutexComment =
        "ProfilingKit: contention on managed locks (Monitor and lock, System.Threading.Lock) by the stack of the thread that had to wait, with how long it waited. " +
        "Go's mutex profile shows the holders' stacks; .NET reports no holder stack, only waiters', so this is the waiting side of each contended lock.";

    public static Profile Build(IEnumerable<ContentionSite> sites, Func<ulong[], List<Frame>> symbolize, string mainBinary, DateTimeOffset now, string comment)
    {
        var builder = new ProfileBuilder(Types, mainBinary)
            .SetPeriod(Types[0], 1)
            .SetTime(now)
            .AddComment(comment);

        var values = new long[2];
        foreach (var site in sites)
        {
            var frames = symbolize(site.Stack);
            if (frames.Count == 0) frames.Add(new Frame(StackSymbolizer.NativeCodeFrame));

            values[0] = site.Count;
            values[1] = site.DelayNanos;
            builder.AddSample(frames, values, site.Labels);
        }

        return builder.Build();
    }
}
