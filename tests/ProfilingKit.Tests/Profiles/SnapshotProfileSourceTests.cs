using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Profiles;
using ProfilingKit.Symbols;

namespace ProfilingKit.Tests.Profiles;

/// <summary>The one way every named profile is written and made into a delta, on a source of its own.</summary>
public class SnapshotProfileSourceTests
{
    private const ulong Address = 0x1000;

    [Fact]
    public void Debug_0_is_the_gzipped_profile_of_a_snapshot_and_debug_1_its_text()
    {
        var source = new CountingSource { Total = 7 };

        using var proto = new MemoryStream();
        source.WriteTo(proto, debug: 0);
        using var text = new MemoryStream();
        source.WriteTo(text, debug: 1);

        proto.Position = 0;
        var profile = ProfileSerializer.Read(proto);
        Assert.Equal(7, Assert.Single(profile.Sample).Value[0]);
        Assert.Equal("total 7 at debug=1", Encoding.UTF8.GetString(text.ToArray()));
    }

    [Fact]
    public void A_delta_subtracts_its_start_from_its_end_and_starts_from_the_delta_start_snapshot()
    {
        var source = new CountingSource { Total = 100, AtDeltaStart = 40, DuringWindow = 250 };

        var delta = source.Delta(TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(250 - 40, Assert.Single(delta.Sample).Value[0]);
        Assert.Equal([TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)], source.Windows); // both halves know the window
        Assert.InRange(delta.DurationNanos, 250_000_000, 10_000_000_000);
    }

    [Fact]
    public void A_cancelled_delta_ends_early_with_what_it_has()
    {
        var source = new CountingSource { Total = 5, AtDeltaStart = 5 };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var started = DateTime.UtcNow;
        var delta = source.Delta(TimeSpan.FromSeconds(30), cancel.Token);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Empty(delta.Sample); // nothing changed: a zero sample is left out
    }

    /// <summary>A cumulative count, one sample on one stack; the delta's start can differ from a plain snapshot.</summary>
    private sealed class CountingSource()
        : SnapshotProfileSource<long>("counting", "a test profile", new ProfileNames(new MethodSymbolizer(new MethodAddressMap(), null, null), "test"))
    {
        public long Total { get; set; }

        public long? AtDeltaStart { get; init; }

        /// <summary>What the count grows to once the delta's start is taken (not by a timer: a busy thread pool runs it late).</summary>
        public long? DuringWindow { get; init; }

        public List<TimeSpan?> Windows { get; } = [];

        public override long Count => Total;

        protected override long Take() => Total;

        protected override long TakeAtDeltaStart()
        {
            var start = AtDeltaStart ?? Total;
            Total = DuringWindow ?? Total;
            return start;
        }

        protected override IEnumerable<ulong[]> StacksOf(long snapshot) => [[Address]];

        protected override Profile Build(long snapshot, MethodSymbolizer symbolizer, DateTimeOffset time, TimeSpan? window)
        {
            Windows.Add(window);
            var type = new ValueTypeName("counting", "count");
            var builder = new ProfileBuilder([type], "test").SetPeriod(type, 1).SetTime(time);
            builder.AddSample([new Frame("Test.Counted")], [snapshot]);
            return builder.Build();
        }

        protected override string Text(long snapshot, MethodSymbolizer symbolizer, int debug) => $"total {snapshot} at debug={debug}";
    }
}
