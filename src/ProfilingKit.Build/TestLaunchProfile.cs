using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;
using ProfilingKit.TestProfiles;
using Task = Microsoft.Build.Utilities.Task;

namespace ProfilingKit.Build;

/// <summary>
/// Microsoft.Testing.Platform: `dotnet test` starts the test app itself, after MSBuild, with the
/// environment of the project's launch profile and nothing else of ours. So, with profiling on,
/// this task writes <c>&lt;Project&gt;.run.json</c> beside the project with EventPipe's variables;
/// with profiling off it removes the file again if ProfilingKit wrote it. A launch profile of the
/// user's own is left alone, with a warning (PKB008) that says how to trace by hand.
/// </summary>
public sealed class TestLaunchProfile : Task
{
    /// <summary>The profile name that marks the file as ProfilingKit's.</summary>
    public const string ProfileName = "ProfilingKit (EnableDebugPprof)";

    /// <summary>The project's <c>&lt;Project&gt;.run.json</c>.</summary>
    [Required]
    public string RunJsonPath { get; set; } = "";

    /// <summary>The project's Properties/launchSettings.json, which `dotnet test` would use instead.</summary>
    public string LaunchSettingsPath { get; set; } = "";

    /// <summary>True to write the profile, false to remove ProfilingKit's.</summary>
    public bool Enabled { get; set; }

    /// <summary>The environment of the profile: EventPipe's variables.</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    public override bool Execute()
    {
        var ours = File.Exists(RunJsonPath) && IsOurs(RunJsonPath);
        if (!Enabled)
        {
            if (ours) File.Delete(RunJsonPath);
            return true;
        }

        var manualCommand = "dotnet test " + string.Join(" ", EnvironmentVariables.Select(v => $"-e {v.ItemSpec}=\"{v.GetMetadata("Value")}\""));
        var userFile = File.Exists(RunJsonPath) && !ours ? RunJsonPath
            : File.Exists(LaunchSettingsPath) ? LaunchSettingsPath
            : null;
        if (userFile is not null)
        {
            Log.LogWarning(null, TraceProblemCodes.UserLaunchProfile, null, null, 0, 0, 0, 0,
                $"ProfilingKit: {userFile} is a launch profile of your own, and `dotnet test` takes the test app's environment from it, so ProfilingKit cannot add EventPipe's variables. Trace by hand: {manualCommand}");
            return true;
        }

        var environment = new JsonObject();
        foreach (var variable in EnvironmentVariables) environment[variable.ItemSpec] = variable.GetMetadata("Value");
        var document = new JsonObject
        {
            ["profiles"] = new JsonObject
            {
                [ProfileName] = new JsonObject
                {
                    ["commandName"] = "Project",
                    ["environmentVariables"] = environment,
                },
            },
        };
        var text = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (!ours || File.ReadAllText(RunJsonPath) != text) File.WriteAllText(RunJsonPath, text);
        return true;
    }

    private static bool IsOurs(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?["profiles"]?[ProfileName] is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
