using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Tests;

public sealed class ProfileBuilderTests
{
    private static readonly long[] FourValues = { 1, 2, 3, 4 };

    [Fact]
    public void String_table_starts_with_the_empty_string_and_holds_each_string_once()
    {
        var profile = AllocationProfile.Build();

        Assert.Equal(string.Empty, profile.StringTable[0]);
        Assert.Equal(profile.StringTable.Count, profile.StringTable.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("MyApp.Worker.Alloc", profile.StringTable);
        Assert.Contains("Worker.cs", profile.StringTable);
    }

    [Fact]
    public void Sample_types_are_written_in_order_with_their_units()
    {
        var profile = AllocationProfile.Build();

        var types = profile.SampleType.Select(type => $"{profile.StringTable[(int)type.Type]}/{profile.StringTable[(int)type.Unit]}");
        Assert.Equal(new[] { "alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes" }, types);
    }

    [Fact]
    public void The_same_frame_gets_the_same_location_and_the_same_function_gets_the_same_function_id()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        var run20 = new Frame("MyApp.Worker.Run", "Worker.cs", 20);
        var run21 = new Frame("MyApp.Worker.Run", "Worker.cs", 21);

        builder.AddSample(new[] { run20 }, FourValues);
        builder.AddSample(new[] { new Frame("MyApp.Worker.Run", "Worker.cs", 20) }, FourValues);
        builder.AddSample(new[] { run21 }, FourValues);
        var profile = builder.Build();

        Assert.Equal(profile.Sample[0].LocationId, profile.Sample[1].LocationId);
        Assert.NotEqual(profile.Sample[0].LocationId, profile.Sample[2].LocationId);
        Assert.Equal(2, profile.Location.Count);
        var function = Assert.Single(profile.Function);
        Assert.All(profile.Location, location => Assert.Equal(function.Id, Assert.Single(location.Line).FunctionId));
        Assert.Equal(new long[] { 20, 21 }, profile.Location.Select(location => location.Line[0].Line_));
    }

    [Fact]
    public void The_same_name_in_another_file_is_another_function()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");

        builder.AddSample(new[] { new Frame("Helper.Run", "A.cs", 1), new Frame("Helper.Run", "B.cs", 1), new Frame("Helper.Run") }, FourValues);
        var profile = builder.Build();

        Assert.Equal(3, profile.Function.Count);
        Assert.Equal(
            new[] { "A.cs", "B.cs", "" },
            profile.Function.Select(function => profile.StringTable[(int)function.Filename]));
        Assert.All(profile.Function, function => Assert.Equal("Helper.Run", profile.StringTable[(int)function.Name]));
        Assert.All(profile.Function, function => Assert.Equal(function.Name, function.SystemName));
    }

    [Fact]
    public void Ids_are_nonzero_and_unique_and_samples_point_at_existing_locations()
    {
        var profile = AllocationProfile.Build();

        AssertIdsNonzeroAndUnique(profile.Mapping.Select(mapping => mapping.Id));
        AssertIdsNonzeroAndUnique(profile.Location.Select(location => location.Id));
        AssertIdsNonzeroAndUnique(profile.Function.Select(function => function.Id));
        var locationIds = profile.Location.Select(location => location.Id).ToHashSet();
        var functionIds = profile.Function.Select(function => function.Id).ToHashSet();
        Assert.All(profile.Sample.SelectMany(sample => sample.LocationId), id => Assert.Contains(id, locationIds));
        Assert.All(profile.Location.SelectMany(location => location.Line), line => Assert.Contains(line.FunctionId, functionIds));
    }

    [Fact]
    public void Samples_keep_their_stack_leaf_first_and_their_values()
    {
        var profile = AllocationProfile.Build();

        Assert.Equal(AllocationProfile.Samples.Count, profile.Sample.Count);
        for (var i = 0; i < profile.Sample.Count; i++)
        {
            var expected = AllocationProfile.Samples[i];
            var names = profile.Sample[i].LocationId.Select(id =>
            {
                var line = profile.Location.Single(location => location.Id == id).Line.Single();
                return profile.StringTable[(int)profile.Function.Single(function => function.Id == line.FunctionId).Name];
            });
            Assert.Equal(expected.Stack.Select(frame => frame.FunctionName), names);
            Assert.Equal(expected.Values, profile.Sample[i].Value);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void A_sample_with_the_wrong_number_of_values_is_rejected(int count)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");

        var error = Assert.Throws<ArgumentException>("values", () => builder.AddSample(new[] { AllocationProfile.Main }, new long[count]));

        Assert.Contains("4 values", error.Message);
        Assert.Equal(0, builder.SampleCount);
    }

    [Fact]
    public void A_default_sample_type_must_be_one_of_the_sample_types()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");

        var error = Assert.Throws<ArgumentException>("type", () => builder.SetDefaultSampleType("cpu"));
        Assert.Contains("'cpu'", error.Message);
        Assert.Equal(0, builder.Build().DefaultSampleType);
    }

    [Fact]
    public void The_default_sample_type_points_at_its_name()
    {
        var profile = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetDefaultSampleType("alloc_space").Build();

        Assert.Equal("alloc_space", profile.StringTable[(int)profile.DefaultSampleType]);
        Assert.Equal(profile.SampleType[1].Type, profile.DefaultSampleType);
    }

    [Fact]
    public void Constructor_rejects_no_sample_types()
    {
        Assert.Throws<ArgumentException>("sampleTypes", () => new ProfileBuilder(Array.Empty<ValueTypeName>(), "MyApp.dll"));
    }

    [Fact]
    public void One_mapping_with_id_1_names_the_main_binary_and_claims_full_symbolization()
    {
        var profile = AllocationProfile.Build();

        var mapping = Assert.Single(profile.Mapping);
        Assert.Equal(1UL, mapping.Id);
        Assert.Equal("MyApp.dll", profile.StringTable[(int)mapping.Filename]);
        Assert.True(mapping.HasFunctions);
        Assert.True(mapping.HasFilenames);
        Assert.True(mapping.HasLineNumbers);
        Assert.False(mapping.HasInlineFrames);
        Assert.All(profile.Location, location => Assert.Equal(1UL, location.MappingId));
        Assert.All(profile.Location, location => Assert.Single(location.Line));
    }

    [Fact]
    public void A_frame_with_inlined_calls_is_one_location_whose_last_line_is_the_caller()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        var inlined = new[] { new Frame("MyApp.Buffers.Rent", "Buffers.cs", 7), new Frame("MyApp.Buffers.Get", "Buffers.cs", 3) };
        builder.AddSample(new[] { new Frame("MyApp.Worker.Run", "Worker.cs", 20, inlined), new Frame("MyApp.Program.Main", "Program.cs", 5) }, FourValues);
        var profile = builder.Build();

        var leaf = profile.Location.Single(location => location.Id == profile.Sample[0].LocationId[0]);
        var lines = leaf.Line.Select(line => $"{profile.StringTable[(int)profile.Function.Single(f => f.Id == line.FunctionId).Name]}:{line.Line_}");
        Assert.Equal(new[] { "MyApp.Buffers.Rent:7", "MyApp.Buffers.Get:3", "MyApp.Worker.Run:20" }, lines);
        Assert.Single(profile.Location.Single(location => location.Id == profile.Sample[0].LocationId[1]).Line);
        Assert.True(Assert.Single(profile.Mapping).HasInlineFrames);
    }

    [Fact]
    public void The_same_call_site_with_and_without_inlined_calls_gets_two_locations()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample(new[] { new Frame("MyApp.Worker.Run", "Worker.cs", 20) }, FourValues);
        builder.AddSample(new[] { new Frame("MyApp.Worker.Run", "Worker.cs", 20, new[] { new Frame("MyApp.Buffers.Rent", "Buffers.cs", 7) }) }, FourValues);
        builder.AddSample(new[] { new Frame("MyApp.Worker.Run", "Worker.cs", 20, new[] { new Frame("MyApp.Buffers.Rent", "Buffers.cs", 7) }) }, FourValues);
        var profile = builder.Build();

        Assert.Equal(2, profile.Location.Count);
        Assert.NotEqual(profile.Sample[0].LocationId, profile.Sample[1].LocationId);
        Assert.Equal(profile.Sample[1].LocationId, profile.Sample[2].LocationId);
    }

    [Fact]
    public void Time_duration_and_period_are_set()
    {
        var profile = AllocationProfile.Build();

        Assert.Equal(1_700_000_000L * 1_000_000_000L, profile.TimeNanos); // 2023-11-14T22:13:20Z
        Assert.Equal(30_000_000_000L, profile.DurationNanos);
        Assert.Equal(524288L, profile.Period);
        Assert.Equal("space", profile.StringTable[(int)profile.PeriodType.Type]);
        Assert.Equal("bytes", profile.StringTable[(int)profile.PeriodType.Unit]);
    }

    [Fact]
    public void Time_keeps_sub_millisecond_precision_and_converts_offsets_to_utc()
    {
        var time = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567);

        var profile = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").SetTime(time).Build();

        Assert.Equal(time.ToUnixTimeMilliseconds() * 1_000_000 + 456_700, profile.TimeNanos);
    }

    [Fact]
    public void Comments_are_interned_strings()
    {
        var profile = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll").AddComment("sampled ~100KB").Build();

        Assert.Equal("sampled ~100KB", profile.StringTable[(int)Assert.Single(profile.Comment)]);
    }

    [Fact]
    public void String_labels_carry_only_a_string_and_numeric_labels_a_number_and_unit()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample(
            new[] { AllocationProfile.Main },
            FourValues,
            new[] { SampleLabel.String("thread", "worker-1"), SampleLabel.Numeric("bytes", 4096, "bytes"), SampleLabel.Numeric("gen", 2) });
        var profile = builder.Build();
        string S(long index) => profile.StringTable[(int)index];

        var labels = profile.Sample.Single().Label;
        Assert.Equal(3, labels.Count);
        Assert.Equal(("thread", "worker-1", 0L, 0L), (S(labels[0].Key), S(labels[0].Str), labels[0].Num, labels[0].NumUnit));
        Assert.Equal(("bytes", 0L, 4096L, "bytes"), (S(labels[1].Key), labels[1].Str, labels[1].Num, S(labels[1].NumUnit)));
        Assert.Equal(("gen", 0L, 2L, 0L), (S(labels[2].Key), labels[2].Str, labels[2].Num, labels[2].NumUnit));
    }

    private static void AssertIdsNonzeroAndUnique(IEnumerable<ulong> ids)
    {
        var list = ids.ToList();
        Assert.NotEmpty(list);
        Assert.DoesNotContain(0UL, list);
        Assert.Equal(list.Count, list.Distinct().Count());
    }
}
