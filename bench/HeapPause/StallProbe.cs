using System.Diagnostics;

namespace ProfilingKit.Bench.HeapPause;

/// <summary>
/// What the app itself sees of a pause: a thread that wakes every millisecond and records the
/// longest gap between two wake-ups. A stop-the-world GC shows as one long gap.
/// </summary>
internal sealed class StallProbe : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _longestTicks;

    public StallProbe()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "stall probe" };
        _thread.Start();
    }

    public TimeSpan LongestGap => TimeSpan.FromSeconds((double)Interlocked.Read(ref _longestTicks) / Stopwatch.Frequency);

    public void Reset() => Interlocked.Exchange(ref _longestTicks, 0);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Run()
    {
        var last = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            Thread.Sleep(1);
            var now = Stopwatch.GetTimestamp();
            var gap = now - last;
            if (gap > Interlocked.Read(ref _longestTicks)) Interlocked.Exchange(ref _longestTicks, gap);
            last = now;
        }
    }
}
