using System.Diagnostics;
using ProfilingKit.Diagnostics;
using ProfilingKit.Threads;

namespace ProfilingKit.Labels;

/// <summary>
/// Which label set each thread of this process ran under when, for the samples that carry no activity
/// id of the sampled thread: the runtime's stack sampler writes its events from its own thread, and the
/// kernel's CPU sampler is no EventPipe event at all. Each thread that ever runs labelled code gets a ring
/// of its last <see cref="EntriesPerThread"/> changes (time, set), appended by the thread itself as its label
/// set changes (<see cref="LabelSetRegistry"/>) and searched by time when a sample of the thread is counted.
/// A sample older than its thread's ring (over 4,096 changes before it was counted: a thread switching
/// labelled work tens of thousands of times a second, sampled by the runtime's sampler, whose events reach
/// the reader a second or more late) gets no labels.
/// Nothing is recorded until a profiler of this process that reads the timeline exists (<see cref="Enable"/>,
/// the endpoint's CPU and wall profiles): a process that only traces itself to a file, as a profiled test
/// host does, has no reader for it. (Before, every thread that ran labelled code there got its 48 KB ring:
/// 4-5% of Serilog's test profile.) Labels set before that have no entry, so a thread's samples are
/// unlabelled until its label set next changes.
/// </summary>
internal sealed class LabelTimeline : ILabelTimeline
{
    /// <summary>Changes kept per thread: 48 KB of ring.</summary>
    public const int EntriesPerThread = 4096;

    /// <summary>Past this many threads with a ring, registering one first drops the rings of threads that have ended.</summary>
    private const int PruneAbove = 256;

    public static readonly LabelTimeline Instance = new();

    [ThreadStatic]
    private static ThreadRing? _ring;

    // A plain dictionary under a lock, not a ConcurrentDictionary: counting one takes all its locks and logs that on the
    // BCL's EventSource, whose first use waits for EventSource's global lock, and this runs in every thread's
    // async-context changes, wherever they happen (LabelSetRegistry says more).
    private readonly object _gate = new();
    private readonly Dictionary<long, ThreadRing> _threads = new();
    private readonly ProcTask _tasks = new("/proc/self");

    private volatile bool _enabled;

    /// <summary>From now on, the label sets' changes are recorded: a profiler of this process will read them.</summary>
    public void Enable() => _enabled = true;

    /// <summary>Notes that the calling thread runs under <paramref name="labelSet"/> (0: none) from now on, once <see cref="Enable"/> was called.</summary>
    public void Record(int labelSet)
    {
        if (!_enabled) return;
        var ring = _ring ??= Register();
        ring.Append(Stopwatch.GetTimestamp(), labelSet);
    }

    public int LabelSetAt(long threadId, long timestamp)
    {
        ThreadRing? ring;
        lock (_gate) _threads.TryGetValue(threadId, out ring);
        return ring?.At(timestamp) ?? 0;
    }

    private ThreadRing Register()
    {
        var id = ProfilerThreads.CurrentOsThreadId();
        var live = _threads.Count >= PruneAbove ? _tasks.ThreadIds() : null; // read outside the lock: a file system walk
        var ring = new ThreadRing();
        lock (_gate)
        {
            if (live is not null)
            {
                foreach (var ended in _threads.Keys.Where(thread => !live.Contains(thread)).ToList()) _threads.Remove(ended);
            }

            _threads[id] = ring; // a new thread that got an ended one's id takes its place
        }

        return ring;
    }

    /// <summary>One thread's changes, in time order; one writer (the thread), any number of readers.</summary>
    private sealed class ThreadRing
    {
        private readonly long[] _times = new long[EntriesPerThread];
        private readonly int[] _sets = new int[EntriesPerThread];
        private long _count;

        public void Append(long timestamp, int labelSet)
        {
            var count = _count;
            var slot = (int)(count % EntriesPerThread);
            _times[slot] = timestamp;
            _sets[slot] = labelSet;
            Volatile.Write(ref _count, count + 1); // publishes the entry
        }

        /// <summary>The set of the last change at or before <paramref name="timestamp"/>; 0 before the first change, or when the ring no longer reaches back that far.</summary>
        public int At(long timestamp)
        {
            var count = Volatile.Read(ref _count);

            // The oldest entry may be the one the thread is overwriting now: leave it out.
            long low = Math.Max(0, count - EntriesPerThread + 1), high = count - 1, found = -1;
            while (low <= high)
            {
                var middle = low + ((high - low) / 2);
                if (_times[(int)(middle % EntriesPerThread)] <= timestamp)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return found < 0 ? 0 : _sets[(int)(found % EntriesPerThread)];
        }
    }
}
