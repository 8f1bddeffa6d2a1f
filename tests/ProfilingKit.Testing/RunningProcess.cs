using System.Diagnostics;
using System.Text;

namespace ProfilingKit.Testing;

/// <summary>
/// A child process a test talks to: stdout is read by the test, stderr is collected in the
/// background, and closing stdin is the signal for the process to end.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public RunningProcess(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + startInfo.FileName);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>What the process has written to stderr so far (complete once <see cref="Exit"/> returned).</summary>
    /// <summary>The process's id.</summary>
    public int Id => _process.Id;

    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Reads the next stdout line, failing the test with stderr if none comes in time.</summary>
    public string ReadLine(TimeSpan timeout)
    {
        var line = Task.Run(() => _process.StandardOutput.ReadLine());
        if (!line.Wait(timeout)) throw new TimeoutException($"no output within {timeout.TotalSeconds:0} s. stderr:\n{StandardError}");
        return line.Result ?? throw new InvalidOperationException("the process closed stdout. stderr:\n" + StandardError);
    }

    /// <summary>Writes one line to the process's stdin.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until stderr, which arrives asynchronously, contains <paramref name="text"/>.</summary>
    public bool WaitForStandardError(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!StandardError.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(20);
        }

        return true;
    }

    /// <summary>Ends the process at once, as SIGKILL does on Unix: no handler of its own runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Closes stdin and waits until the process and its output have ended; returns the exit code.</summary>
    public int Exit()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) throw new TimeoutException("the process did not exit within 30 s of its stdin closing");
        _process.WaitForExit();
        return _process.ExitCode;
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
}
