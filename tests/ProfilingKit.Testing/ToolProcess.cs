using System.Diagnostics;

namespace ProfilingKit.Testing;

/// <summary>Runs a command-line tool to its end for an interop test: stdin closed, both outputs collected, killed when it overruns.</summary>
public static class ToolProcess
{
    /// <summary>
    /// Runs <paramref name="startInfo"/> (its redirections are set here) and returns what it printed;
    /// <paramref name="command"/> names it in messages, such as <c>go tool pprof</c>.
    /// </summary>
    public static ToolResult Run(string command, ProcessStartInfo startInfo, TimeSpan timeout)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        var arguments = startInfo.ArgumentList.ToList();

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start " + startInfo.FileName);
        // A tool that would turn interactive (pprof without a report flag) quits on a closed stdin instead of hanging.
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException(
                $"`{command} {string.Join(" ", arguments)}` did not finish within {timeout.TotalSeconds:0.#} s.\n" +
                $"stdout:\n{standardOutput.Result}\nstderr:\n{standardError.Result}");
        }

        process.WaitForExit(); // lets the redirected streams reach their end
        return new ToolResult(command, arguments, process.ExitCode, standardOutput.Result, standardError.Result);
    }
}

/// <summary>What one run of a tool printed and returned.</summary>
public sealed record ToolResult(string Command, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>stderr followed by stdout: pprof prints warnings and "Fetching …" lines on stderr.</summary>
    public string AllOutput => StandardError + StandardOutput;

    /// <summary>Throws with the whole output unless the tool exited with 0; returns this run otherwise.</summary>
    public ToolResult EnsureSuccess() => ExitCode == 0
        ? this
        : throw new InvalidOperationException($"`{Command} {string.Join(" ", Arguments)}` failed.\n{this}");

    /// <inheritdoc />
    public override string ToString() =>
        $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
