using Microsoft.Build.Utilities;

namespace ProfilingKit.Build.Tests;

public sealed class TestLaunchProfileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("profilingkit-launch-").FullName;

    private string RunJson => Path.Combine(_directory, "Tests.run.json");

    [Fact]
    public void With_profiling_on_it_writes_a_launch_profile_with_the_variables()
    {
        var engine = Run(enabled: true);

        Assert.Empty(engine.Warnings);
        var text = File.ReadAllText(RunJson);
        Assert.Contains("\"ProfilingKit (EnableDebugPprof)\"", text);
        Assert.Contains("\"commandName\": \"Project\"", text);
        Assert.Contains("\"DOTNET_EnableEventPipe\": \"1\"", text);
        Assert.Contains("\"DOTNET_EventPipeOutputPath\": \"/t/trace_{pid}.nettrace\"", text);
    }

    [Fact]
    public void With_profiling_off_it_removes_its_own_profile_and_leaves_others_alone()
    {
        Run(enabled: true);
        Run(enabled: false);
        Assert.False(File.Exists(RunJson));

        File.WriteAllText(RunJson, """{ "profiles": { "mine": { "commandName": "Project" } } }""");
        Run(enabled: false);
        Assert.True(File.Exists(RunJson));
    }

    [Fact]
    public void A_launch_profile_of_the_users_own_is_kept_with_a_PKB008_warning_naming_the_manual_command()
    {
        const string Users = """{ "profiles": { "mine": { "commandName": "Project" } } }""";
        File.WriteAllText(RunJson, Users);

        var engine = Run(enabled: true);

        Assert.Equal(Users, File.ReadAllText(RunJson));
        var warning = Assert.Single(engine.Warnings);
        Assert.Equal("PKB008", warning.Code);
        Assert.Contains("dotnet test -e DOTNET_EnableEventPipe=\"1\"", warning.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private RecordingBuildEngine Run(bool enabled)
    {
        var engine = new RecordingBuildEngine();
        var task = new TestLaunchProfile
        {
            BuildEngine = engine,
            RunJsonPath = RunJson,
            LaunchSettingsPath = Path.Combine(_directory, "Properties", "launchSettings.json"),
            Enabled = enabled,
            EnvironmentVariables =
            [
                Variable("DOTNET_EnableEventPipe", "1"),
                Variable("DOTNET_EventPipeOutputPath", "/t/trace_{pid}.nettrace"),
            ],
        };
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        return engine;
    }

    private static TaskItem Variable(string name, string value) => new(name, new Dictionary<string, string> { ["Value"] = value });
}
