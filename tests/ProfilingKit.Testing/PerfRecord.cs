using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.Testing;

/// <summary>
/// Linux's <c>perf</c> (Debian's linux-perf) as an independent CPU sampler: <c>perf record</c> of a
/// running process's user-space CPU time, then each sample's thread name and leaf symbol from
/// <c>perf script</c>. Managed frames are named only where the process runs with
/// <c>DOTNET_PerfMapEnabled=1</c> (it writes /tmp/perf-PID.map) and <c>DOTNET_EnableWriteXorExecute=0</c>
/// (with W^X the code is mapped from a memfd, which perf does not look up in the map).
/// </summary>
/// <remarks>
/// A missing or refused perf is a test failure with the reason, not a skip, as for Go: CI installs
/// linux-perf, and a comparison that silently did not run would prove nothing.
/// </remarks>
public static class PerfRecord
{
    public const string Executable = "/usr/bin/perf";

    /// <summary>Environment for a .NET process whose managed frames perf must name.</summary>
    public static IReadOnlyDictionary<string, string> ManagedFramesEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "1",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>Starts sampling the process's user-space CPU time every millisecond of it, for <paramref name="duration"/>.</summary>
    public static Task<IReadOnlyList<PerfSample>> SampleAsync(int processId, TimeSpan duration)
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"The CPU profile is compared with perf, but {Executable} is missing. Install it: `apt-get install linux-perf`.");

        return Task.Run(() => Sample(processId, duration));
    }

    private static IReadOnlyList<PerfSample> Sample(int processId, TimeSpan duration)
    {
        var data = Path.Combine(Path.GetTempPath(), "perf-test-" + Guid.NewGuid().ToString("N") + ".data");
        try
        {
            var seconds = duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            Run(duration + TimeSpan.FromSeconds(60), "record", "-q", "-e", "task-clock:u", "-c", "1000000", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", data, "--", "sleep", seconds);
            var script = Run(TimeSpan.FromSeconds(120), "script", "-i", data, "-F", "comm,ip,sym,dso");
            return script.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(PerfSample.Parse).ToList();
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static ToolResult Run(TimeSpan timeout, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        var result = ToolProcess.Run("perf", startInfo, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                "perf could not sample the test app (see /proc/sys/kernel/perf_event_paranoid, or a container's seccomp profile, which may refuse perf_event_open): " + result);
        }

        return result;
    }
}

/// <summary>One perf sample: the thread's name (at most 15 characters), the leaf symbol and the file it is in.</summary>
public sealed record PerfSample(string Thread, string Symbol, string File)
{
    /// <summary>Whether the leaf is JIT-compiled code named from the perf map.</summary>
    public bool IsManaged => File.StartsWith("/tmp/perf-", StringComparison.Ordinal) && File.EndsWith(".map", StringComparison.Ordinal);

    // "comm  ip symbol (file)": the name may hold spaces (".NET Tiered Com"), so the address is what ends it.
    private static readonly Regex Line = new(@"^\s*(?<comm>.*?)\s+[0-9a-f]+\s+(?<symbol>.*?)\s+\((?<file>[^()]*)\)\s*$", RegexOptions.CultureInvariant);

    internal static PerfSample Parse(string line)
    {
        var match = Line.Match(line);
        return match.Success
            ? new PerfSample(match.Groups["comm"].Value, match.Groups["symbol"].Value, match.Groups["file"].Value)
            : new PerfSample(line.Trim(), "[unknown]", "[unknown]");
    }
}
