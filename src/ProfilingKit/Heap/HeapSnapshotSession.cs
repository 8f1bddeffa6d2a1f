using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Heap;

/// <summary>
/// Takes a heap snapshot: an EventPipe session on this process with the heap-dump keywords, which
/// makes the runtime run a blocking gen2 GC that lists every live object, read until that GC ends.
/// </summary>
internal static class HeapSnapshotSession
{
    /// <summary>
    /// Large: every live object is an event record (about 35 bytes each), and the walk happens while
    /// the app stands still, faster than the reader empties the buffer; events that do not fit are lost.
    /// </summary>
    private const int BufferMegabytes = 256;

    /// <exception cref="Exception">The diagnostic port is disabled or refused the session.</exception>
    public static HeapSnapshot Take(DiagnosticsClient client, ProfilerThreads threads, HeapTypeNames names, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var collector = new HeapSnapshotCollector(names);
        using (var session = SelfTraceSession.Start(client, SessionProviders.HeapSnapshot(), requestRundown: false, BufferMegabytes, collector, threads, "ProfilingKit heap snapshot"))
        {
            if (!collector.GcEnded.WaitOne(timeout))
            {
                ProfilingKitLog.Warn($"the heap snapshot's GC did not end within {timeout.TotalSeconds:0} s; the heap profile may be incomplete.");
            }

            session.StopAndDrain(timeout);
        }

        return collector.ToSnapshot(watch.Elapsed);
    }
}
