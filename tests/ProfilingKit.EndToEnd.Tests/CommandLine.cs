using System.Diagnostics;
using System.Text;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>Runs <c>dotnet</c> commands as a user would, in a clean environment, and fails with their output.</summary>
internal static class CommandLine
{
    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>; throws with stdout and stderr when it fails.</summary>
    public static string Dotnet(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output) = DotnetWithExitCode(directory, environment, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(" ", arguments)} (in {directory}) exited with {exitCode}.\n{output}");
        }

        return output;
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/> and returns its exit code and output (stdout, then stderr), for commands that may fail.</summary>
    public static (int ExitCode, string Output) DotnetWithExitCode(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(directory, environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(" ", arguments)} took over 5 minutes.\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>How to run <c>dotnet ARGS</c> in a clean environment.</summary>
    public static ProcessStartInfo StartInfo(string directory, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        // The test host runs under dotnet test, whose MSBuild and VSTest settings must not leak into
        // the user's commands.
        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name == "PROFILINGKIT_PPROF_ADDRESS")
            {
                startInfo.Environment.Remove(name);
            }
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        foreach (var (name, value) in environment) startInfo.Environment[name] = value;
        return startInfo;
    }
}
