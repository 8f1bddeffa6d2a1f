using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProfilingKit.Tests;

/// <summary>
/// Runs tests/TestApps/AllocatingApp: a separate process whose only allocations of note are a known
/// amount in <c>AllocatingApp.KnownAllocations.Run</c> on one thread.
/// </summary>
internal sealed class AllocatingAppProcess : IDisposable
{
    public const string KnownMethod = "AllocatingApp.KnownAllocations.Run";

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private AllocatingAppProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>The "listening ..." or "not listening" line.</summary>
    public string ListeningLine { get; private set; } = "";

    public bool Sampling { get; private set; }

    /// <summary>Bytes the known method's thread allocated, as GC.GetAllocatedBytesForCurrentThread measured them.</summary>
    public long AllocatedBytes { get; private set; }

    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static AllocatingAppProcess Start(string address, int megabytes, IDictionary<string, string>? environment = null)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(app);
        startInfo.ArgumentList.Add(address);
        startInfo.ArgumentList.Add(megabytes.ToString(CultureInfo.InvariantCulture));
        startInfo.Environment.Remove(DebugPprof.AddressVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new AllocatingAppProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + app));
        process.ReadReport();
        return process;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Closes stdin (the app's signal to end) and returns its exit code.</summary>
    public int Exit()
    {
        _process.StandardInput.Close();
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "the app should exit when its stdin closes");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    private void ReadReport()
    {
        var read = Task.Run(() =>
        {
            ListeningLine = _process.StandardOutput.ReadLine() ?? "";
            Sampling = _process.StandardOutput.ReadLine() == "sampling";
            var allocated = _process.StandardOutput.ReadLine() ?? "";
            AllocatedBytes = long.Parse(allocated.Substring("allocated ".Length), CultureInfo.InvariantCulture);
        });
        if (!read.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException("AllocatingApp did not report within 60 s. stderr:\n" + StandardError);
        }
    }
}
