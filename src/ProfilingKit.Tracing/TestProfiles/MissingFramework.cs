using System.Text.Json;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// Why a test host may have written no trace at all: a framework its runtimeconfig.json asks for is not
/// installed beside the dotnet that starts it, so it never ran (a multi-targeted project's older framework,
/// typically; VSTest then logs "Testhost process ... exited with error: You must install or update .NET").
/// Asked only once the trace is missing, to name that cause instead of guessing at others.
/// </summary>
internal static class MissingFramework
{
    /// <summary>
    /// What is missing, as a sentence, or null when every framework the runtimeconfig names has an installed
    /// version it rolls forward to (its <c>rollForward</c>, Minor by default), or the file cannot be read.
    /// </summary>
    /// <param name="runtimeConfigPath">The test assembly's runtimeconfig.json.</param>
    /// <param name="dotnetRoot">The folder of the dotnet that runs the test host (its <c>shared/NAME/VERSION</c> folders).</param>
    public static string? Describe(string runtimeConfigPath, string dotnetRoot)
    {
        if (runtimeConfigPath.Length == 0 || dotnetRoot.Length == 0 || !File.Exists(runtimeConfigPath)) return null;

        List<(string Name, Version Version)> required;
        string rollForward;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfigPath));
            var options = document.RootElement.GetProperty("runtimeOptions");
            rollForward = options.TryGetProperty("rollForward", out var value) ? value.GetString() ?? "" : "";
            var frameworks = options.TryGetProperty("frameworks", out var list) ? list.EnumerateArray().ToList()
                : options.TryGetProperty("framework", out var one) ? [one] : [];
            required = frameworks
                .Select(framework => (Name: framework.GetProperty("name").GetString() ?? "", Version: VersionOf(framework.GetProperty("version").GetString())))
                .Where(framework => framework.Version is not null)
                .Select(framework => (framework.Name, framework.Version!))
                .ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var (name, version) in required)
        {
            var folder = Path.Combine(dotnetRoot, "shared", name);
            var installed = Directory.Exists(folder)
                ? Directory.GetDirectories(folder).Select(path => VersionOf(Path.GetFileName(path))).OfType<Version>().OrderBy(v => v).ToList()
                : [];
            if (installed.Any(candidate => RollsForwardTo(version, candidate, rollForward))) continue;

            var found = installed.Count == 0 ? "none" : string.Join(", ", installed);
            return $"the test host cannot have started: {Path.GetFileName(runtimeConfigPath)} asks for {name} {version}, " +
                $"and the dotnet in {dotnetRoot} has no version it can run on (installed: {found}). " +
                $"Install the .NET {version.Major} runtime, or test only the frameworks installed here (dotnet test -f ...).";
        }

        return null;
    }

    /// <summary>The host's roll-forward rules, by major and minor: Minor (the default) takes a later minor, Major a later major.</summary>
    private static bool RollsForwardTo(Version required, Version candidate, string rollForward)
    {
        if (candidate < required) return false;

        return rollForward switch
        {
            "Major" or "LatestMajor" => true,
            "LatestPatch" or "Disable" => candidate.Major == required.Major && candidate.Minor == required.Minor,
            _ => candidate.Major == required.Major,
        };
    }

    /// <summary>10.0.12 from "10.0.12" or "10.0.0-rc.2.25502.107"; null for anything else.</summary>
    private static Version? VersionOf(string? text) =>
        Version.TryParse(text?.Split('-')[0], out var version) ? version : null;
}
