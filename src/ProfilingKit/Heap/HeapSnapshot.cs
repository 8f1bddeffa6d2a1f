namespace ProfilingKit.Heap;

/// <summary>What a heap snapshot found: live objects by type, and what taking it cost the app.</summary>
/// <param name="Types">Live objects by type, largest first.</param>
/// <param name="Pause">
/// The stop-the-world pause of the snapshot's blocking gen2 GC, heap walk included (from its
/// GCSuspendEEBegin to its GCRestartEEEnd), or null if those events were not seen.
/// </param>
/// <param name="Elapsed">From asking for the snapshot to having it, session start and stop included.</param>
/// <param name="Complete">False if the GC's end was not seen in time: the totals may miss objects.</param>
/// <param name="LostBatches">GCBulkNode events EventPipe dropped (a full buffer): their objects are missing.</param>
internal sealed record HeapSnapshot(IReadOnlyList<HeapTypeTotal> Types, TimeSpan? Pause, TimeSpan Elapsed, bool Complete, int LostBatches)
{
    public long Objects => Types.Sum(t => t.Objects);

    public long Bytes => Types.Sum(t => t.Bytes);
}
