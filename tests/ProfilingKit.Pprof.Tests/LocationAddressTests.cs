using System.Text.RegularExpressions;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

/// <summary>
/// Every Location has an address (the frame's code address, or a stable synthetic one), the mapping
/// covers them, and the real pprof tells call sites apart by them without trying to symbolize.
/// </summary>
public sealed class LocationAddressTests : IDisposable
{
    private const ulong FirstCall = 0x7f12_3456_1040;
    private const ulong SecondCall = 0x7f12_3456_10a7;
    private const ulong AllocCode = 0x7f12_3456_2010;
    private static readonly long[] FourValues = { 1, 100, 1, 100 };
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-addresses-").FullName;

    private static Frame Run(ulong address) => new Frame("MyApp.Worker.Run", "Worker.cs", 20).WithAddress(address);

    private static Frame Alloc => new Frame("MyApp.Worker.Alloc", "Worker.cs", 45).WithAddress(AllocCode);

    private static Frame Main => new("Program.Main", "Program.cs", 10); // no code address: a synthetic one

    [Fact]
    public void Locations_carry_their_frames_code_addresses_and_frames_without_one_the_same_synthetic_address_in_every_profile()
    {
        Profile Build(params Frame[][] stacks)
        {
            var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
            foreach (var stack in stacks) builder.AddSample(stack, FourValues);
            return builder.Build();
        }

        var one = Build([Alloc, Run(FirstCall), Main]);
        var other = Build([new Frame("[native code]")], [Alloc, Run(SecondCall), Main]);

        ulong AddressOf(Profile profile, string function, long line) => profile.Location.Single(location =>
            profile.StringTable[(int)profile.Function.Single(f => f.Id == location.Line[0].FunctionId).Name] == function && location.Line[0].Line_ == line).Address;

        Assert.Equal(AllocCode, AddressOf(one, "MyApp.Worker.Alloc", 45));
        Assert.Equal(FirstCall, AddressOf(one, "MyApp.Worker.Run", 20));
        Assert.Equal(SecondCall, AddressOf(other, "MyApp.Worker.Run", 20));
        var main = AddressOf(one, "Program.Main", 10);
        Assert.Equal(main, AddressOf(other, "Program.Main", 10));
        Assert.True(ProfileBuilder.IsSynthetic(main));
        Assert.NotEqual(main, AddressOf(other, "[native code]", 0));
        Assert.False(ProfileBuilder.IsSynthetic(AllocCode));
        foreach (var profile in new[] { one, other })
        {
            var mapping = Assert.Single(profile.Mapping);
            Assert.True(mapping.HasFunctions && mapping.HasFilenames && mapping.HasLineNumbers);
            Assert.All(profile.Location, location => Assert.InRange(location.Address, mapping.MemoryStart, mapping.MemoryLimit - 1));
            Assert.Equal(profile.Location.Min(location => location.Address), mapping.MemoryStart);
        }
    }

    [Fact]
    public void Two_call_sites_of_one_function_on_one_line_are_two_locations_that_pprof_shows_by_address()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample([Alloc, Run(FirstCall), Main], [3, 300, 0, 0]);
        builder.AddSample([Alloc, Run(SecondCall), Main], [5, 500, 0, 0]);
        var profile = builder.Build();
        Assert.Equal(4, profile.Location.Count);
        var path = Write(profile);

        // pprof prints an address as 16 hex digits before the function: "00007f1234561040 MyApp.Worker.Run Worker.cs:20".
        var top = GoPprof.Run("-top", "-addresses", "-sample_index=alloc_space", path).EnsureSuccess();
        AssertNoSymbolization(top);
        var rows = GoPprof.ParseTop(top.StandardOutput).Rows;
        var first = Assert.Single(rows, row => row.Name == $"{FirstCall:x16} MyApp.Worker.Run Worker.cs:20");
        var second = Assert.Single(rows, row => row.Name == $"{SecondCall:x16} MyApp.Worker.Run Worker.cs:20");
        Assert.Equal((300, 500), (first.Cum, second.Cum));

        // By function the two sites are one row again, with both sites' bytes.
        var byFunction = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=alloc_space", path).EnsureSuccess().StandardOutput).Rows;
        Assert.Equal(800, Assert.Single(byFunction, row => row.Name == "MyApp.Worker.Run").Cum);

        var traces = GoPprof.Run("-traces", "-addresses", "-sample_index=alloc_space", path).EnsureSuccess().StandardOutput;
        Assert.Matches($@"(?m)^ +{FirstCall:x16} MyApp\.Worker\.Run Worker\.cs:20$", traces);
        Assert.Matches($@"(?m)^ +{SecondCall:x16} MyApp\.Worker\.Run Worker\.cs:20$", traces);
    }

    [Fact]
    public void A_delta_of_profiles_whose_addresses_span_different_ranges_keeps_one_mapping_and_subtracts_location_by_location()
    {
        var start = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        start.AddSample([Alloc, Run(FirstCall), Main], [3, 300, 3, 300]);
        var end = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        end.AddSample([new Frame("Later.Code").WithAddress(0x7f00_0000_0010)], [1, 10, 1, 10]);
        end.AddSample([Alloc, Run(FirstCall), Main], [4, 400, 2, 200]);
        end.AddSample([Alloc, Run(SecondCall), Main], [5, 500, 5, 500]);

        var delta = ProfileDelta.Compute(start.Build(), end.Build());

        var mapping = Assert.Single(delta.Mapping);
        Assert.All(delta.Location, location => Assert.InRange(location.Address, mapping.MemoryStart, mapping.MemoryLimit - 1));
        Assert.Equal(0x7f00_0000_0010UL, mapping.MemoryStart);
        Assert.Equal(5, delta.Location.Count); // Later.Code, Alloc, Main and the two sites of Run, each once
        var byLeafCaller = delta.Sample.ToDictionary(sample => delta.Location.Single(l => l.Id == sample.LocationId[Math.Min(1, sample.LocationId.Count - 1)]).Address, sample => sample.Value[1]);
        Assert.Equal(100, byLeafCaller[FirstCall]); // 400 - 300: the same location in both halves
        Assert.Equal(500, byLeafCaller[SecondCall]);

        var top = GoPprof.Run("-top", "-addresses", "-sample_index=alloc_space", Write(delta)).EnsureSuccess();
        AssertNoSymbolization(top);
        Assert.Equal(610, GoPprof.ParseTop(top.StandardOutput).Total!.Value);
    }

    [Fact]
    public void Pprof_reads_the_heap_texts_return_addresses_back_to_the_binary_profiles_location_addresses()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll");
        builder.AddSample([Alloc, Run(FirstCall), Main], [3, 300, 1, 100]);
        builder.AddSample([Alloc, Run(SecondCall), Main], [5, 500, 0, 0]);
        var profile = builder.Build();
        var text = GoLegacyText.HeapProfile(profile);

        // Go's form: return addresses after '@', the call's own address on each '#' line.
        Assert.Contains($"1: 100 [3: 300] @ 0x{AllocCode + 1:x} 0x{FirstCall + 1:x} 0x{ProfileBuilder.SyntheticAddress(Main) + 1:x}\n", text);
        Assert.Contains($"#\t0x{FirstCall:x}\tMyApp.Worker.Run+0x0\tWorker.cs:20\n", text);

        var path = Path.Combine(_directory, "heap.txt");
        File.WriteAllText(path, text);
        var raw = GoPprof.Run("-raw", "-symbolize=none", path).EnsureSuccess().StandardOutput;
        var locations = Regex.Matches(raw, @"(?m)^[ \t]+\d+: 0x([0-9a-f]+)\b").Select(match => Convert.ToUInt64(match.Groups[1].Value, 16)).ToHashSet();
        Assert.Equal(profile.Location.Select(location => location.Address).ToHashSet(), locations);
    }

    private string Write(Profile profile)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("n") + ".pb.gz");
        using (var file = File.Create(path)) ProfileSerializer.WriteGzip(profile, file);
        return path;
    }

    private static void AssertNoSymbolization(ToolResult result)
    {
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
        Assert.DoesNotContain("Local symbolization failed", result.AllOutput);
        Assert.DoesNotContain("symbolz", result.AllOutput);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
