using System.Diagnostics;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Pprof.Viewer;

namespace ProfilingKit.Tool;

/// <summary>
/// <c>flame -o FILE.html</c>, <c>web</c> and <c>-http ADDR</c>: the flame graph page of one
/// profile, written to a file, to a temp file a browser opens, or served until Ctrl+C, as
/// <c>go tool pprof -http</c> serves its UI.
/// </summary>
internal sealed class FlameGraphCommand(Tool tool)
{
    public int Run(ToolOptions options)
    {
        var source = options.Sources.Count == 1 ? options.Sources[0] : null;
        var input = ReportInput.Prepare(tool, options, foldAsync: true); // the reports' filters, diff base and async folding
        var profile = input.Profile;
        var page = Render(profile, new FlameGraphOptions
        {
            Title = source ?? "profile",
            SampleType = input.SampleType,
            DownloadLink = options.HttpAddress is null ? null : FlameGraphServer.ProfilePath.TrimStart('/'),
        });

        if (options.HttpAddress is { } address)
        {
            using var server = FlameGraphServer.Start(address, page, ProfileSerializer.ToGzipBytes(profile));
            tool.Status.WriteLine($"Serving web UI on {server.Url}");
            tool.Status.WriteLine("Press Ctrl+C to stop.");
            tool.Stop.WaitHandle.WaitOne();
            return 0;
        }

        if (options.Command == "flame")
        {
            if (options.Output is null) throw new ToolException("flame needs an output file: dotnet pprof flame -o FILE.html PROFILE (or `web` to open it in a browser)");
            WriteFile(options.Output, page);
            tool.Out.WriteLine($"Wrote the flame graph to {options.Output}");
            return 0;
        }

        // Left for the browser to read, as go tool pprof leaves its web pages; unique, as two runs may share a second.
        var path = options.Output ?? Path.Combine(Path.GetTempPath(), $"pprof-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}.html");
        WriteFile(path, page);
        tool.Out.WriteLine($"Wrote the flame graph to {path}");
        if (!tool.OpenBrowser(path)) tool.Status.WriteLine("No browser could be started (xdg-open is not on PATH); open the file yourself.");
        return 0;
    }

    /// <summary>Starts <c>xdg-open</c> (<c>open</c> on macOS, the shell on Windows) on <paramref name="path"/>; false when there is none. Never throws.</summary>
    public static bool OpenWithSystemBrowser(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                using var shell = Process.Start(new ProcessStartInfo(path) { UseShellExecute = true });
                return shell is not null;
            }

            var opener = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
            if (!OnPath(opener)) return false;
            var start = new ProcessStartInfo(opener, [path]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private static string Render(Profile profile, FlameGraphOptions options)
    {
        try
        {
            return FlameGraphPage.Render(profile, options);
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"-sample_index: {e.Message}");
        }
    }

    private static void WriteFile(string path, string page)
    {
        try
        {
            File.WriteAllText(path, page);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"{path}: {e.Message}");
        }
    }
}
