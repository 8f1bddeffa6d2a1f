using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.Profiles;

/// <summary>
/// A profile made from a snapshot of what a sampler gathered: every form of it (proto, text, delta)
/// comes from <see cref="Take"/> and <see cref="Build"/>, so a new profile is those two and a text.
/// A delta is two snapshots a window apart, both named in one go and subtracted by
/// <see cref="ProfileDelta"/> (cumulative sample types only), the one way every profile makes one.
/// </summary>
internal abstract class SnapshotProfileSource<TSnapshot> : ProfileSource
{
    protected SnapshotProfileSource(string name, string description, ProfileNames names)
        : base(name, description)
    {
        Names = names;
    }

    protected ProfileNames Names { get; }

    public sealed override void WriteTo(Stream output, int debug)
    {
        var snapshot = Take();
        var time = DateTimeOffset.UtcNow;
        if (debug == 0)
        {
            var profile = Names.Build(StacksOf(snapshot), symbolizer => Build(snapshot, symbolizer, time, window: null));
            ProfileSerializer.WriteGzip(profile, output);
            return;
        }

        var text = Names.Build(StacksOf(snapshot), symbolizer => Text(snapshot, symbolizer, debug));
        output.Write(Encoding.UTF8.GetBytes(text));
    }

    public sealed override Profile Delta(TimeSpan window, CancellationToken cancel)
    {
        var start = TakeAtDeltaStart();
        var startTime = DateTimeOffset.UtcNow;
        cancel.WaitHandle.WaitOne(window);
        var end = Take();
        var endTime = DateTimeOffset.UtcNow;

        // The end's stacks include the start's, so one rundown (if any) names both alike.
        return Names.Build(
            StacksOf(end).Concat(StacksOf(start)),
            symbolizer => ProfileDelta.Compute(Build(start, symbolizer, startTime, window), Build(end, symbolizer, endTime, window)));
    }

    /// <summary>What the sampler holds now.</summary>
    /// <exception cref="ProfilingUnavailableException">The data cannot be had now.</exception>
    protected abstract TSnapshot Take();

    /// <summary>The snapshot a delta starts from; only what a delta subtracts is needed there.</summary>
    protected virtual TSnapshot TakeAtDeltaStart() => Take();

    /// <summary>Every raw stack of <paramref name="snapshot"/>, to be named before it is built.</summary>
    protected abstract IEnumerable<ulong[]> StacksOf(TSnapshot snapshot);

    /// <summary>The profile of <paramref name="snapshot"/>; <paramref name="window"/> is the window of a delta, or null.</summary>
    protected abstract Profile Build(TSnapshot snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window);

    /// <summary>Go's legacy text of <paramref name="snapshot"/> for debug=<paramref name="debug"/> (1 or more).</summary>
    protected abstract string Text(TSnapshot snapshot, MethodSymbolizer symbolizer, int debug);
}
