using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// tests/TestApps/AttachTargetApp running, a console app that never referenced ProfilingKit, for
/// collect and serve to attach to; the test talks to it over stdin and stdout.
/// </summary>
public sealed class AttachTargetProcess : IDisposable
{
    /// <summary>The tests that start this app run one at a time: finding the target by its name needs it to be the only one of that name.</summary>
    public const string Collection = "attach targets";

    public const string AllocatingMethod = "AttachTargetApp.Allocator.AllocateKnownBytes";
    public const string BurningMethod = "AttachTargetApp.Burner.BurnCpu";
    public const string ContendingMethod = "AttachTargetApp.Locks.ContendForLock";
    public const string SleepingMethod = "AttachTargetApp.Sleeper.Park";
    public const string RetainedType = "AttachTargetApp.RetainedRecord[]";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly RunningProcess _process;

    public AttachTargetProcess()
        : this(new Dictionary<string, string>())
    {
    }

    internal AttachTargetProcess(IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet") { ArgumentList = { Dll } };
        foreach (var (name, value) in environment) startInfo.Environment[name] = value;
        _process = new RunningProcess(startInfo);
        var ready = _process.ReadLine(Timeout);
        Assert.StartsWith("ready ", ready);
        Id = int.Parse(ready["ready ".Length..], CultureInfo.InvariantCulture);
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "AttachTargetApp.dll");

    public int Id { get; }

    /// <summary>Has <c>AllocateKnownBytes</c> allocate <paramref name="megabytes"/> MB; returns the bytes its thread measured.</summary>
    public long Allocate(int megabytes)
    {
        _process.WriteLine("alloc " + megabytes.ToString(CultureInfo.InvariantCulture));
        var line = _process.ReadLine(Timeout);
        Assert.StartsWith("allocated ", line);
        return long.Parse(line["allocated ".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The burner's progress counter and the CPU time its thread has had so far.</summary>
    public (long Steps, TimeSpan Cpu) Progress()
    {
        _process.WriteLine("steps");
        var line = _process.ReadLine(Timeout);
        Assert.StartsWith("steps ", line);
        var cpu = ProcCpuTime.OfThread(Id, "BurnCpu") ?? throw new InvalidOperationException("no CPU time for the BurnCpu thread");
        return (long.Parse(line["steps ".Length..], CultureInfo.InvariantCulture), cpu);
    }

    /// <summary>
    /// The burner's steps per second of its own CPU time, as a share of <paramref name="control"/>'s (the same
    /// app, left alone) over the same windows: the median of <paramref name="windows"/> windows of
    /// <paramref name="window"/>. A rate per CPU second is not set by how much of the machine the burner gets,
    /// but a busy machine still moves it, in both directions and by up to 2x on this 2-core VM (another
    /// process on the sibling hardware thread, a vCPU the host takes away that still counts as the thread's
    /// CPU time), so a rate measured alone at one time is no yardstick for another time. The control, burning
    /// at the same moments, is.
    /// </summary>
    public double StepsPerCpuSecondAgainst(AttachTargetProcess control, TimeSpan window, int windows)
    {
        var shares = new List<double>();
        for (var i = 0; i < windows; i++)
        {
            var (mine, theirs) = (Progress(), control.Progress());
            Thread.Sleep(window);
            shares.Add(RateSince(mine) / control.RateSince(theirs));
        }

        shares.Sort();
        return shares[shares.Count / 2];
    }

    private double RateSince((long Steps, TimeSpan Cpu) start)
    {
        var now = Progress();
        var cpu = (now.Cpu - start.Cpu).TotalSeconds;
        Assert.True(cpu > 0.05, $"the burner had {cpu:0.00} s of CPU: it is not running");
        return (now.Steps - start.Steps) / cpu;
    }

    /// <summary>
    /// The runtime's ".NET EventPipe" threads: one is its diagnostic server, and each EventPipe
    /// session streams from one more, which ends with the session. So this count above its value
    /// before any attach says a session is still open in the target.
    /// </summary>
    public int EventPipeThreads() =>
        Directory.EnumerateDirectories($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/task")
            .Count(task => File.Exists(Path.Combine(task, "comm")) && ReadComm(task) == ".NET EventPipe");

    public void Dispose() => _process.Dispose();

    private static string ReadComm(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim();
        }
        catch (IOException)
        {
            return ""; // the thread ended while we looked
        }
    }
}
