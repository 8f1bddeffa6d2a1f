namespace ProfilingKit.Gc;

/// <summary>
/// Puts the runtime's GC events back together into one <see cref="GcRecord"/> per collection and
/// hands each on once nothing more can arrive for it.
/// </summary>
/// <remarks>
/// Observed order on .NET 10 (workstation GC): a blocking GC is SuspendEEBegin, SuspendEEEnd,
/// GCStart, GCGlobalHeapHistory, GCEnd, GCHeapStats, RestartEEBegin, RestartEEEnd. A background GC
/// starts inside a pause (often together with a gen1 GC that has its own GCStart), marks while the
/// app runs, takes a second pause with no GCStart in it (SuspendEE reason "for GC prep"), and ends
/// with GCEnd and GCHeapStats outside any pause. Suspensions that are not for a GC (the sampling
/// profiler, the debugger) are ignored. Events lost before the listener started leave fields null,
/// which the trace line prints as <c>?</c>.
/// </remarks>
internal sealed class GcTimeline
{
    private const int SuspendForGc = 1;
    private const int SuspendForGcPrep = 6;

    /// <summary>At most a background GC and the ephemeral GCs inside it run at once; more means lost events.</summary>
    private const int MaxRunning = 8;

    private readonly Action<GcRecord> _completed;
    private readonly List<GcRecord> _running = new();
    private readonly List<GcRecord> _startedInPause = new();

    private bool _inGcPause;
    private long _suspendBegin;
    private long _suspendEnd;
    private long _restartBegin;
    private GcRecord? _lastEnded;
    private (long Budget, int Heaps, int Generation)? _history;

    public GcTimeline(Action<GcRecord> completed) => _completed = completed;

    public void SuspendBegin(long ticks, int reason)
    {
        _inGcPause = reason is SuspendForGc or SuspendForGcPrep;
        _suspendBegin = ticks;
        _suspendEnd = _restartBegin = 0;
        _startedInPause.Clear();
    }

    public void SuspendEnd(long ticks)
    {
        if (_inGcPause) _suspendEnd = ticks;
    }

    public void Start(long ticks, int number, int generation, int reason, int kind)
    {
        var record = new GcRecord(number, generation, (GcReason)reason, (GcKind)kind, ticks);
        if (_running.Count == MaxRunning) _running.RemoveAt(0); // its end was lost; forget it rather than grow
        _running.Add(record);
        if (_inGcPause) _startedInPause.Add(record);
    }

    public void GlobalHeapHistory(long gen0Budget, int heapCount, int condemnedGeneration) =>
        _history = (gen0Budget, heapCount, condemnedGeneration);

    public void End(long ticks, int number)
    {
        var record = Find(number);
        _lastEnded = record;
        if (record is null) return;

        record.EndTicks = ticks;
        if (_history is { } history && history.Generation == record.Generation)
        {
            // A background GC does not compute a new budget and reports 0: unknown, not zero.
            record.Gen0BudgetBytes = history.Budget > 0 ? history.Budget : null;
            record.HeapCount = history.Heaps;
        }

        _history = null;
    }

    /// <summary>GCHeapStats, which follows the GCEnd of the collection it describes.</summary>
    /// <param name="generationSizes">Sizes after the GC of gen0, gen1, gen2, LOH and POH.</param>
    /// <param name="promoted">TotalPromotedSize of the same five.</param>
    public void HeapStats(ReadOnlySpan<long> generationSizes, ReadOnlySpan<long> promoted)
    {
        var record = _lastEnded;
        _lastEnded = null;
        if (record is null) return;

        long after = 0;
        foreach (var size in generationSizes) after += size;
        record.HeapAfterBytes = after;
        record.PromotedBytes = Promoted(record, promoted);
        TryComplete(record);
    }

    public void RestartBegin(long ticks)
    {
        if (_inGcPause) _restartBegin = ticks;
    }

    public void RestartEnd(long ticks)
    {
        if (!_inGcPause) return;

        _inGcPause = false;
        var pause = new GcPause(_suspendBegin, _suspendEnd, _restartBegin, ticks);
        if (_startedInPause.Count > 0)
        {
            foreach (var record in _startedInPause) record.Pauses.Add(pause);
        }
        else if (RunningBackground() is { } background)
        {
            background.Pauses.Add(pause); // its final pause: no GCStart of its own
        }

        _startedInPause.Clear();
        for (var i = _running.Count - 1; i >= 0; i--)
        {
            TryComplete(_running[i]);
        }
    }

    private void TryComplete(GcRecord record)
    {
        if (!record.HasEnded || !record.HasHeapStats || MayStillPause(record)) return;

        _running.Remove(record);
        _completed(record);
    }

    /// <summary>True while a pause is open that may belong to the record.</summary>
    private bool MayStillPause(GcRecord record) =>
        _inGcPause && (_startedInPause.Contains(record) || (_startedInPause.Count == 0 && record.Kind == GcKind.Background));

    private GcRecord? RunningBackground()
    {
        foreach (var record in _running)
        {
            if (record.Kind == GcKind.Background) return record;
        }

        return null;
    }

    private GcRecord? Find(int number)
    {
        foreach (var record in _running)
        {
            if (record.Number == number) return record;
        }

        return null;
    }

    /// <summary>
    /// What survived the generations this GC condemned. GCHeapStats repeats the last value of
    /// generations a GC did not collect, and a background GC leaves gen0/gen1 to the ephemeral GC
    /// that started with it; so only the collected generations count.
    /// </summary>
    private static long Promoted(GcRecord record, ReadOnlySpan<long> promoted)
    {
        if (promoted.Length < 5) return 0;
        if (record.Generation >= 2)
        {
            var large = promoted[2] + promoted[3] + promoted[4];
            return record.Kind == GcKind.Background ? large : large + promoted[0] + promoted[1];
        }

        return record.Generation == 1 ? promoted[0] + promoted[1] : promoted[0];
    }
}
