using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

/// <summary>.NET's compiler-generated names as the real pprof shows them: whole, as the runtime names them.</summary>
public sealed class FunctionNameDisplayTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pk-names-{Guid.NewGuid():N}.pb.gz");

    public static TheoryData<string, string> Names => new()
    {
        { "MyApp.Worker+<ExecuteAsync>d__2.MoveNext", "MyApp.Worker+<ExecuteAsync>d__2::MoveNext" }, // an async state machine
        { "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol+<ProcessRequests>d__237`1.MoveNext", "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol+<ProcessRequests>d__237`1::MoveNext" },
        { "MyApp.Cache`1[System.Int32]+<>c__DisplayClass3_0.<Get>b__0", "MyApp.Cache`1[System.Int32]+<>c__DisplayClass3_0::<Get>b__0" }, // a closure in a generic type
        { "Program.<>c.<Main>b__0_2", "Program.<>c::<Main>b__0_2" }, // a lambda: pprof leaves ".<" names alone anyway
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Top_shows_the_compilers_name_intact(string name, string systemName)
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "app");
        builder.AddSample([new Frame(name).WithSystemName(systemName), new Frame("Program.Main").WithSystemName("Program::Main")], [1, 4096, 0, 0]);
        File.WriteAllBytes(_path, ProfileSerializer.ToGzipBytes(builder.Build()));

        var top = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=alloc_space", _path).EnsureSuccess().StandardOutput);

        Assert.Equal(name, top.Rows[0].Name);
    }

    [Fact]
    public void A_name_pprof_would_not_rewrite_keeps_system_name_equal_to_it_as_gos_profiles_do()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "app");
        builder.AddSample([new Frame("MyApp.Worker.Run").WithSystemName("MyApp.Worker::Run"), new Frame("MyApp.Worker+<ExecuteAsync>d__2.MoveNext").WithSystemName("x")], [1, 4096, 0, 0]);
        var profile = builder.Build();

        var functions = profile.Function.ToDictionary(f => profile.StringTable[(int)f.Name], f => profile.StringTable[(int)f.SystemName]);
        Assert.Equal("MyApp.Worker.Run", functions["MyApp.Worker.Run"]);
        Assert.Equal("x", functions["MyApp.Worker+<ExecuteAsync>d__2.MoveNext"]);
    }

    public void Dispose() => File.Delete(_path);
}
