using ProfilingKit.Pprof;
using ProfilingKit.Testing;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Tests;

/// <summary>
/// CheckValid against the real pprof: every broken profile here is one <c>go tool pprof</c> refuses
/// too, and the valid one both accept, so "valid here" means "opens in pprof".
/// </summary>
public sealed class ProfileValidationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-validation-").FullName;

    public static TheoryData<string> Breakages => new(Breaks.Keys);

    private static readonly Dictionary<string, Action<Profile>> Breaks = new()
    {
        ["string_table[0] not empty"] = p => p.StringTable[0] = "x",
        ["a function name past the string table"] = p => p.Function[0].Name = p.StringTable.Count + 5,
        ["a sample type past the string table"] = p => p.SampleType[0].Type = p.StringTable.Count,
        ["a sample with one value too few"] = p => p.Sample[0].Value.RemoveAt(0),
        ["a sample on a location that is not defined"] = p => p.Sample[0].LocationId[0] = 999_999,
        ["a location id of 0"] = p => p.Location[0].Id = 0,
        ["two locations with one id"] = p => p.Location[1].Id = p.Location[0].Id,
        ["two functions with one id"] = p => p.Function[1].Id = p.Function[0].Id,
        ["a line of a function that is not defined"] = p => p.Location[0].Line[0].FunctionId = 999_999,
        ["two mappings with one id"] = p => p.Mapping.Add(p.Mapping[0].Clone()),
        ["a label key past the string table"] = p => p.Sample[0].Label[0].Key = p.StringTable.Count + 1,
        ["a comment past the string table"] = p => p.Comment.Add(p.StringTable.Count),
        ["a sample without types"] = p => p.SampleType.Clear(),
    };

    public static TheoryData<string> Tolerated => new(Tolerances.Keys);

    private static readonly Dictionary<string, Action<Profile>> Tolerances = new()
    {
        ["a location on a mapping that is not defined"] = p => p.Location[0].MappingId = 77,
        ["a label with no key"] = p => p.Sample[0].Label[0].Key = 0,
    };

    [Theory]
    [MemberData(nameof(Tolerated))]
    public void What_pprof_tolerates_is_not_refused_here(string quirk)
    {
        var profile = AllocationProfile.Build();
        Tolerances[quirk](profile);

        GoPprof.Run("-raw", Write(profile)).EnsureSuccess();
        Assert.Empty(ProfileValidation.Problems(profile));
    }

    [Fact]
    public void A_profile_of_ours_is_valid_here_and_in_pprof()
    {
        var profile = AllocationProfile.Build();

        Assert.Empty(ProfileValidation.Problems(profile));
        ProfileValidation.CheckValid(profile);
        GoPprof.Run("-raw", Write(profile)).EnsureSuccess();
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_profile_pprof_refuses_is_refused_here_with_a_reason(string breakage)
    {
        var profile = AllocationProfile.Build();
        Breaks[breakage](profile);

        var result = GoPprof.Run("-raw", Write(profile));
        Assert.True(result.ExitCode != 0, $"pprof accepted a profile with {breakage}:\n{result.StandardOutput}");

        var problems = ProfileValidation.Problems(profile);
        Assert.NotEmpty(problems);
        var error = Assert.Throws<InvalidDataException>(() => ProfileValidation.CheckValid(profile));
        Assert.Equal("The data is not a valid pprof profile: " + problems[0], error.Message);
        Assert.Throws<InvalidDataException>(() => ProfileSerializer.Read(new MemoryStream(ProfileSerializer.ToGzipBytes(profile))));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(Profile profile)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".pb.gz");
        File.WriteAllBytes(path, ProfileSerializer.ToGzipBytes(profile));
        return path;
    }
}
