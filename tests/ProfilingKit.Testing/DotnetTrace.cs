using System.Diagnostics;

namespace ProfilingKit.Testing;

/// <summary>
/// Runs the real <c>dotnet-trace</c> (the global tool of dotnet/diagnostics) on a trace the endpoint served,
/// the way a user opens it.
/// </summary>
/// <remarks>
/// Linked into test projects as source. Like <see cref="GoPprof"/>, a missing tool is a test failure, not
/// a skip: CI installs it (.ci/run), and a silently skipped interop test would hide exactly what it guards.
/// </remarks>
public static class DotnetTrace
{
    /// <summary>The variable that names the executable, as .ci/run sets it; otherwise PATH and the user's tool folder are searched.</summary>
    public const string ExecutableVariable = "PROFILINGKIT_DOTNET_TRACE";

    /// <summary>The version .ci/run installs, for the advice when there is none.</summary>
    public const string Version = "10.0.750501";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly Lazy<string?> Located = new(Locate);

    /// <summary>The full path of <c>dotnet-trace</c>; throws with install advice when there is none.</summary>
    public static string Executable => Located.Value ?? throw new InvalidOperationException(
        $"Interop tests need the real dotnet-trace, but {ExecutableVariable} is not set to it and no `dotnet-trace` was found on PATH " +
        $"or in ~/.dotnet/tools. Install it: `dotnet tool install dotnet-trace --version {Version} --tool-path DIR` and set {ExecutableVariable}=DIR/dotnet-trace.");

    /// <summary>Runs <c>dotnet-trace</c> with the arguments in <paramref name="workingDirectory"/>; kills it after two minutes.</summary>
    public static ToolResult Run(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable) { WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        return ToolProcess.Run("dotnet-trace", startInfo, Timeout);
    }

    private static string? Locate()
    {
        var named = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrEmpty(named))
        {
            // A variable that names nothing is a broken install, not a reason to look elsewhere.
            return File.Exists(named) ? named : throw new InvalidOperationException($"{ExecutableVariable}={named}, but there is no such file.");
        }

        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(directory => directory.Length > 0).ToList();
        candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));

        var executableName = OperatingSystem.IsWindows() ? "dotnet-trace.exe" : "dotnet-trace";
        return candidates.Select(directory => Path.Combine(directory, executableName)).FirstOrDefault(File.Exists);
    }
}
