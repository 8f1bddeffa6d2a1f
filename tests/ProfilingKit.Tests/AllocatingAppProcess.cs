using System.Diagnostics;
using System.Globalization;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>
/// Runs tests/TestApps/AllocatingApp: a separate process whose only allocations of note are a known
/// amount in <c>AllocatingApp.KnownAllocations.Run</c>, the root of its own thread.
/// </summary>
internal sealed class AllocatingAppProcess : IDisposable
{
    public const string KnownMethod = "AllocatingApp.KnownAllocations.Run";

    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(60);
    private readonly RunningProcess _process;

    private AllocatingAppProcess(RunningProcess process, bool retains, bool labels)
    {
        _process = process;
        ListeningLine = process.ReadLine(ReportTimeout);
        Sampling = process.ReadLine(ReportTimeout) == "sampling";
        AllocatedBytes = long.Parse(process.ReadLine(ReportTimeout).Substring("allocated ".Length), CultureInfo.InvariantCulture);
        if (labels)
        {
            var bytes = process.ReadLine(ReportTimeout).Substring("labelled ".Length).Split(' ');
            LabelledBytes = (long.Parse(bytes[0], CultureInfo.InvariantCulture), long.Parse(bytes[1], CultureInfo.InvariantCulture));
        }

        if (retains) RetainedBytes = long.Parse(process.ReadLine(ReportTimeout).Substring("retained ".Length), CultureInfo.InvariantCulture);
    }

    /// <summary>The "listening URL" or "not listening" line.</summary>
    public string ListeningLine { get; }

    public bool Sampling { get; }

    /// <summary>Bytes the known method's thread allocated, as GC.GetAllocatedBytesForCurrentThread measured them.</summary>
    public long AllocatedBytes { get; }

    /// <summary>Bytes <see cref="LabelledMethod"/> allocated under <c>tenant=a</c> and <c>tenant=b</c>, measured per chunk on the allocating thread; zeros without labels.</summary>
    public (long A, long B) LabelledBytes { get; }

    /// <summary>Bytes of live <c>AllocatingApp.RetainedRecord[]</c> arrays the app keeps, or 0.</summary>
    public long RetainedBytes { get; }

    /// <summary>GC.GetTotalMemory(true) in the app, now: the live heap as the runtime counts it.</summary>
    public long MeasureLiveHeap()
    {
        _process.WriteLine("heap");
        return long.Parse(_process.ReadLine(ReportTimeout).Substring("heap ".Length), CultureInfo.InvariantCulture);
    }

    /// <summary>Has the app run a background gen2 GC, after dropping its retained arrays when <paramref name="release"/>; returns once it has started.</summary>
    public void BackgroundGc(bool release)
    {
        var command = release ? "release" : "background-gc";
        _process.WriteLine(command);
        var answer = _process.ReadLine(ReportTimeout);
        if (answer != command + " done") throw new InvalidOperationException($"the app answered '{answer}' to '{command}'");
    }

    /// <summary>Has the app start <c>LabelledWork</c>'s labelled burn for <paramref name="seconds"/> in the background; <see cref="ReadBurned"/> reads its progress.</summary>
    public void StartBurning(int seconds) => _process.WriteLine("burn " + seconds.ToString(CultureInfo.InvariantCulture));

    /// <summary>The CPU nanoseconds the <c>job=a</c> and <c>job=b</c> flows have burned so far, measured by their threads' clocks.</summary>
    public (long A, long B) ReadBurned()
    {
        _process.WriteLine("burned");
        var values = _process.ReadLine(ReportTimeout).Substring("burned ".Length).Split(' ');
        return (long.Parse(values[0], CultureInfo.InvariantCulture), long.Parse(values[1], CultureInfo.InvariantCulture));
    }

    public const string BurningLabelledMethod = "AllocatingApp.LabelledWork.BurnLabelled";

    public string StandardError => _process.StandardError;

    /// <summary>
    /// The CPU time the OS has charged the app's thread named <paramref name="threadName"/> so far
    /// (<see cref="ProcCpuTime"/>), or null where the OS does not say.
    /// </summary>
    public TimeSpan? ThreadCpuTime(string threadName) => ProcCpuTime.OfThread(_process.Id, threadName);

    public const string BurningMethod = "AllocatingApp.BusyWork.BurnCpu";
    public const string SeventyPercentMethod = "AllocatingApp.BusyWork.SeventyPercent";
    public const string ThirtyPercentMethod = "AllocatingApp.BusyWork.ThirtyPercent";
    public const string ChurningMethod = "AllocatingApp.BusyWork.ChurnAllocations";
    public const string ParkedMethod = "AllocatingApp.BusyWork.Park";
    public const string PulseAwaitingMethod = "AllocatingApp.BusyWork.AwaitPulse";
    public const string ContendingMethod = "AllocatingApp.BusyWork.ContendForLock";
    public const string StartingMethod = "AllocatingApp.BusyWork.Start";
    public const string LabelledMethod = "AllocatingApp.LabelledWork.AllocateChunk";
    public const string LabelledContendingMethod = "AllocatingApp.LabelledWork.ContendLabelled";
    public const string InliningMethod = "InliningLibrary.InlinedAllocations.Run";
    public const string InlinedMethod = "InliningLibrary.InlinedAllocations.NewBuffer";

    /// <param name="busy">After the known allocations, keep threads burning CPU (<see cref="BurningMethod"/>), allocating (<see cref="ChurningMethod"/>) and asleep (<see cref="ParkedMethod"/>).</param>
    /// <param name="retainedMegabytes">When above 0, keep about this many MB of <c>AllocatingApp.RetainedRecord[]</c> alive (<see cref="RetainedBytes"/>).</param>
    /// <param name="inlinedMegabytes">When above 0, first allocate about this many MB in <see cref="InlinedMethod"/>, inlined into <see cref="InliningMethod"/>.</param>
    /// <param name="loopMegabytes">When above 0, first allocate about this many MB in each method of <c>InliningLibrary.LoopAllocations</c>.</param>
    /// <param name="labelledMegabytes">When above 0, then allocate this many MB under the profile label <c>tenant=a</c> and twice as many under <c>tenant=b</c>, concurrently and across awaits, then contend for a lock under <c>phase=contend</c> (<see cref="LabelledBytes"/>).</param>
    public static AllocatingAppProcess Start(string address, int megabytes, IDictionary<string, string>? environment = null, bool busy = false, int retainedMegabytes = 0, int inlinedMegabytes = 0, int loopMegabytes = 0, int labelledMegabytes = 0)
    {
        var startInfo = new ProcessStartInfo("dotnet");
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll"));
        startInfo.ArgumentList.Add(address);
        startInfo.ArgumentList.Add(megabytes.ToString(CultureInfo.InvariantCulture));
        if (busy) startInfo.ArgumentList.Add("busy");
        if (retainedMegabytes > 0) startInfo.ArgumentList.Add("retain=" + retainedMegabytes.ToString(CultureInfo.InvariantCulture));
        if (inlinedMegabytes > 0) startInfo.ArgumentList.Add("inlined=" + inlinedMegabytes.ToString(CultureInfo.InvariantCulture));
        if (loopMegabytes > 0) startInfo.ArgumentList.Add("loops=" + loopMegabytes.ToString(CultureInfo.InvariantCulture));
        if (labelledMegabytes > 0) startInfo.ArgumentList.Add("labels=" + labelledMegabytes.ToString(CultureInfo.InvariantCulture));
        startInfo.Environment.Remove(DebugPprof.AddressVariable);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return new AllocatingAppProcess(new RunningProcess(startInfo), retainedMegabytes > 0, labelledMegabytes > 0);
    }

    public bool WaitForStandardError(string text) => _process.WaitForStandardError(text);

    public int Exit() => _process.Exit();

    public void Dispose() => _process.Dispose();
}
