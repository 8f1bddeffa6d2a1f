using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Tests;

public sealed class ProfileDeltaTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Subtracts_alloc_values_and_keeps_inuse_values_of_the_end()
    {
        var start = Memory(Start, ("Run", new long[] { 10, 1000, 5, 500 }));
        var end = Memory(Start.AddSeconds(2), ("Run", new long[] { 15, 1600, 3, 300 }));

        var delta = ProfileDelta.Compute(start, end);

        var sample = Assert.Single(delta.Sample);
        Assert.Equal(new long[] { 5, 600, 3, 300 }, sample.Value);
        Assert.Equal("Run", FunctionNames(delta, sample).Single());
    }

    [Fact]
    public void Matches_samples_by_frames_and_labels_not_by_ids()
    {
        // The end profile interns a new stack first, so every id differs from the start profile's.
        var start = Memory(Start, ("Run", new long[] { 10, 1000, 0, 0 }));
        var end = Memory(Start.AddSeconds(1), ("New", new long[] { 1, 100, 0, 0 }), ("Run", new long[] { 12, 1200, 0, 0 }));

        var delta = ProfileDelta.Compute(start, end);

        var byName = delta.Sample.ToDictionary(s => FunctionNames(delta, s).Single(), s => s.Value.ToArray());
        Assert.Equal(new long[] { 1, 100, 0, 0 }, byName["New"]);
        Assert.Equal(new long[] { 2, 200, 0, 0 }, byName["Run"]);
    }

    [Fact]
    public void Unchanged_stacks_drop_out_and_stacks_only_in_the_start_go_negative()
    {
        var start = Memory(Start, ("Same", new long[] { 4, 400, 0, 0 }), ("Gone", new long[] { 2, 200, 0, 0 }));
        var end = Memory(Start.AddSeconds(1), ("Same", new long[] { 4, 400, 0, 0 }));

        var delta = ProfileDelta.Compute(start, end);

        var sample = Assert.Single(delta.Sample);
        Assert.Equal("Gone", FunctionNames(delta, sample).Single());
        Assert.Equal(new long[] { -2, -200, 0, 0 }, sample.Value);
    }

    [Fact]
    public void Is_timed_at_the_end_lasts_the_window_and_keeps_the_header()
    {
        var start = Memory(Start, ("Run", new long[] { 1, 100, 0, 0 }));
        var end = Memory(Start.AddSeconds(3), ("Run", new long[] { 2, 200, 0, 0 }));

        var delta = ProfileDelta.Compute(start, end);

        Assert.Equal(end.TimeNanos, delta.TimeNanos);
        Assert.Equal(3_000_000_000, delta.DurationNanos);
        Assert.Equal("alloc_space", delta.StringTable[(int)delta.DefaultSampleType]);
        Assert.Equal(102400, delta.Period);
        Assert.Equal("space", delta.StringTable[(int)delta.PeriodType.Type]);
        Assert.Equal(new[] { "a comment" }, delta.Comment.Select(c => delta.StringTable[(int)c]));
        var mapping = Assert.Single(delta.Mapping);
        Assert.True(mapping.HasFunctions && mapping.HasFilenames && mapping.HasLineNumbers);
    }

    [Fact]
    public void Other_cumulative_types_are_subtracted_and_the_caller_can_say_which()
    {
        var contention = new[] { new ValueTypeName("contentions", "count"), new ValueTypeName("delay", "nanoseconds") };
        var start = Build(contention, Start, ("Lock", new long[] { 3, 3000 }));
        var end = Build(contention, Start.AddSeconds(1), ("Lock", new long[] { 5, 7000 }));

        Assert.Equal(new long[] { 2, 4000 }, Assert.Single(ProfileDelta.Compute(start, end).Sample).Value);
        Assert.Equal(new long[] { 2, 7000 }, Assert.Single(ProfileDelta.Compute(start, end, type => type == "contentions").Sample).Value);
    }

    [Fact]
    public void Merge_refuses_profiles_with_other_sample_types()
    {
        var memory = Memory(Start, ("Run", new long[] { 1, 1, 1, 1 }));
        var cpu = Build(new[] { new ValueTypeName("samples", "count"), new ValueTypeName("cpu", "nanoseconds") }, Start, ("Run", new long[] { 1, 1 }));

        var error = Assert.Throws<ArgumentException>(() => ProfileMerge.Merge(new[] { memory, cpu }));
        Assert.Contains("different sample types", error.Message);
    }

    [Fact]
    public void A_delta_round_trips_through_the_serializer()
    {
        var delta = ProfileDelta.Compute(Memory(Start, ("Run", new long[] { 1, 100, 0, 0 })), Memory(Start.AddSeconds(1), ("Run", new long[] { 3, 300, 0, 0 })));

        using var stream = new MemoryStream(ProfileSerializer.ToGzipBytes(delta));
        var read = ProfileSerializer.Read(stream);

        Assert.Equal(new long[] { 2, 200, 0, 0 }, Assert.Single(read.Sample).Value);
    }

    private static Profile Memory(DateTimeOffset time, params (string Function, long[] Values)[] samples) =>
        Build(ProfileTypes.Memory, time, samples);

    private static Profile Build(IReadOnlyList<ValueTypeName> types, DateTimeOffset time, params (string Function, long[] Values)[] samples)
    {
        var builder = new ProfileBuilder(types, "MyApp")
            .SetPeriod(ProfileTypes.MemoryPeriod, 102400)
            .SetTime(time)
            .AddComment("a comment");
        if (types == ProfileTypes.Memory) builder.SetDefaultSampleType(ProfileTypes.AllocSpace);
        foreach (var (function, values) in samples)
        {
            builder.AddSample(new[] { new Frame(function, "App.cs", 1), new Frame("Main", "App.cs", 9) }, values, new[] { SampleLabel.String("type", "System.Byte[]") });
        }

        return builder.Build();
    }

    private static IEnumerable<string> FunctionNames(Profile profile, Sample sample)
    {
        var functions = profile.Function.ToDictionary(f => f.Id, f => profile.StringTable[(int)f.Name]);
        var locations = profile.Location.ToDictionary(l => l.Id, l => functions[l.Line[0].FunctionId]);
        return sample.LocationId.Take(1).Select(id => locations[id]);
    }
}
