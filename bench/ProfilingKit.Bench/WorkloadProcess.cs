using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProfilingKit.Bench;

/// <summary>
/// A workload process started by the driver: this same binary in workload role, with the
/// environment its mode needs and nothing else of ours.
/// </summary>
internal sealed class WorkloadProcess : IDisposable
{
    /// <summary>Variables that would change what a run measures; removed from every child, then set per mode.</summary>
    private static readonly string[] InheritedVariablesToClear =
    [
        "DOTNET_EnableEventPipe", "DOTNET_EventPipeConfig", "DOTNET_EventPipeOutputPath",
        "DOTNET_EventPipeOutputStreaming", "COMPlus_EnableEventPipe", DebugPprof.AddressVariable,
    ];

    private static readonly TimeSpan LongestRun = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly string? _traceDirectory;
    private readonly StringBuilder _stderr = new();
    private readonly Dictionary<string, IReadOnlyDictionary<int, ThreadCpu>> _threadsAtPhaseStart = new();
    private Task<string?>? _pendingLine;

    private WorkloadProcess(Process process, string? traceDirectory)
    {
        _process = process;
        _traceDirectory = traceDirectory;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Size of the runtime session's trace file so far (runtime-session mode), else null.</summary>
    public long? TraceFileBytes =>
        _traceDirectory is null ? null : Directory.EnumerateFiles(_traceDirectory).Sum(file => new FileInfo(file).Length);

    public static WorkloadProcess Start(WorkloadArguments arguments)
    {
        var startInfo = StartInfo(arguments.ToCommandLine());
        string? traceDirectory = null;
        if (arguments.Mode == BenchMode.RuntimeSession)
        {
            traceDirectory = Directory.CreateTempSubdirectory("profilingkit-bench-").FullName;
            startInfo.Environment["DOTNET_EnableEventPipe"] = "1";
            startInfo.Environment["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x80000000000:4";
            startInfo.Environment["DOTNET_EventPipeOutputPath"] = Path.Combine(traceDirectory, "x.nettrace");
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start " + startInfo.FileName);
        return new WorkloadProcess(process, traceDirectory);
    }

    /// <summary>
    /// How to start this same binary with <paramref name="arguments"/> (a role and its arguments), its
    /// standard streams redirected and none of the variables that would change what it measures.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Started through "dotnet bench.dll", the host needs the dll; the apphost does not.
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(WorkloadProcess).Assembly.Location);
        }

        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        foreach (var name in InheritedVariablesToClear) startInfo.Environment.Remove(name);
        return startInfo;
    }

    /// <summary>
    /// Waits for the result line, calling <paramref name="onTick"/> every <paramref name="tick"/> meanwhile,
    /// and adds the per-thread CPU times of each phase, read at the boundaries the workload announces.
    /// </summary>
    public WorkloadResult WaitForResult(TimeSpan tick, Action? onTick = null)
    {
        var started = Stopwatch.StartNew();
        var nextTick = tick;
        while (true)
        {
            _pendingLine ??= _process.StandardOutput.ReadLineAsync();
            if (!_pendingLine.Wait(TimeSpan.FromTicks(Math.Max(0, (nextTick - started.Elapsed).Ticks))))
            {
                if (started.Elapsed > LongestRun) throw Failure($"no result after {LongestRun.TotalMinutes} minutes");
                onTick?.Invoke();
                nextTick += tick;
                continue;
            }

            var line = _pendingLine.Result;
            _pendingLine = null;
            if (line is null) throw Failure("exited without a result");
            if (line.StartsWith(Workload.PhasePrefix, StringComparison.Ordinal))
            {
                _threadsAtPhaseStart[line[Workload.PhasePrefix.Length..]] = ThreadCpuTimes.Read(Id);
            }
            else if (WorkloadResult.TryParseLine(line, out var result))
            {
                var atEnd = ThreadCpuTimes.Read(Id);
                var atWarmup = _threadsAtPhaseStart[Workload.WarmupPhase];
                var atTimed = _threadsAtPhaseStart[Workload.TimedPhase];
                return result with
                {
                    Warmup = result.Warmup with { ThreadCpuSeconds = ThreadCpuTimes.SpentByName(atWarmup, atTimed) },
                    Timed = result.Timed with { ThreadCpuSeconds = ThreadCpuTimes.SpentByName(atTimed, atEnd) },
                };
            }
        }
    }

    public ProcessMemory ReadMemory() => ProcessMemory.Of(_process.Id);

    /// <summary>Lets the process end (it waits on stdin after its result) and returns its live managed heap in bytes.</summary>
    public long Finish()
    {
        _process.StandardInput.Close();
        var rest = _process.StandardOutput.ReadToEnd();
        if (!_process.WaitForExit(TimeSpan.FromMinutes(1)) || _process.ExitCode != 0) throw Failure("did not end cleanly");

        var heapLine = rest.Split('\n').FirstOrDefault(line => line.StartsWith(Workload.ManagedHeapPrefix, StringComparison.Ordinal))
                       ?? throw Failure("printed no managed heap");
        return long.Parse(heapLine.AsSpan(Workload.ManagedHeapPrefix.Length).Trim(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            if (_traceDirectory is not null) Directory.Delete(_traceDirectory, recursive: true);
        }
    }

    private InvalidOperationException Failure(string what)
    {
        string stderr;
        lock (_stderr) stderr = _stderr.ToString();
        return new InvalidOperationException($"workload process {_process.Id} {what}. Its stderr:\n{stderr}");
    }
}
