using ProfilingKit.Gc;

namespace ProfilingKit.Tests;

/// <summary>The GC event state machine, fed the event orders observed on .NET 10.</summary>
public class GcTimelineTests
{
    private const int SuspendForGc = 1;
    private const int SuspendForGcPrep = 6;
    private const int SuspendOther = 0;

    private static readonly long[] Sizes = [0, 4_000_000, 20_000_000, 400_000, 8_000];
    private static readonly long[] Promoted = [4_000_000, 8_000_000, 18_000_000, 262_000, 0];

    private readonly List<GcRecord> _completed = new();
    private readonly GcTimeline _timeline;

    public GcTimelineTests() => _timeline = new GcTimeline(_completed.Add);

    [Fact]
    public void A_blocking_gc_is_complete_when_the_app_restarts()
    {
        _timeline.SuspendBegin(100, SuspendForGc);
        _timeline.SuspendEnd(110);
        _timeline.Start(120, number: 4, generation: 0, reason: 0, kind: 0);
        _timeline.GlobalHeapHistory(16_777_216, 1, condemnedGeneration: 0);
        _timeline.End(500, 4);
        _timeline.HeapStats(Sizes, Promoted);
        Assert.Empty(_completed); // the pause is still open

        _timeline.RestartBegin(520);
        _timeline.RestartEnd(530);

        var gc = Assert.Single(_completed);
        Assert.Equal((4, 0, GcReason.AllocSmall, GcKind.NonConcurrent), (gc.Number, gc.Generation, gc.Reason, gc.Kind));
        Assert.Equal(new GcPause(100, 110, 520, 530), Assert.Single(gc.Pauses));
        Assert.Equal(24_408_000, gc.HeapAfterBytes);
        Assert.Equal(4_000_000, gc.PromotedBytes); // gen0 only: the other values are left from earlier GCs
        Assert.Equal(16_777_216, gc.Gen0BudgetBytes);
        Assert.Equal(1, gc.HeapCount);
    }

    [Fact]
    public void A_background_gc_gets_its_initial_and_final_pause_and_ends_after_the_gen1_gc_that_started_with_it()
    {
        _timeline.SuspendBegin(100, SuspendForGc);
        _timeline.SuspendEnd(110);
        _timeline.Start(120, number: 25, generation: 2, reason: 0, kind: 1);
        _timeline.Start(130, number: 26, generation: 1, reason: 0, kind: 0);
        _timeline.GlobalHeapHistory(16_777_216, 1, condemnedGeneration: 1);
        _timeline.End(400, 26);
        _timeline.HeapStats(Sizes, Promoted);
        _timeline.RestartBegin(410);
        _timeline.RestartEnd(420);

        Assert.Equal(26, Assert.Single(_completed).Number);

        _timeline.SuspendBegin(1000, SuspendForGcPrep);
        _timeline.SuspendEnd(1010);
        _timeline.RestartBegin(1100);
        _timeline.RestartEnd(1105);
        _timeline.GlobalHeapHistory(0, 1, condemnedGeneration: 2);
        _timeline.End(1500, 25);
        _timeline.HeapStats(Sizes, Promoted);

        var background = _completed[1];
        Assert.Equal((25, GcKind.Background), (background.Number, background.Kind));
        Assert.Equal([new GcPause(100, 110, 410, 420), new GcPause(1000, 1010, 1100, 1105)], background.Pauses);
        Assert.Null(background.Gen0BudgetBytes); // reported as 0: not computed, so unknown
        Assert.Equal(18_000_000 + 262_000, background.PromotedBytes); // gen2 + LOH + POH; gen0/1 belong to GC 26
    }

    [Fact]
    public void A_background_gc_that_ends_inside_its_final_pause_waits_for_the_restart()
    {
        _timeline.SuspendBegin(100, SuspendForGc);
        _timeline.Start(120, number: 7, generation: 2, reason: 0, kind: 1);
        _timeline.RestartEnd(150);
        _timeline.SuspendBegin(1000, SuspendForGcPrep);
        _timeline.End(1050, 7);
        _timeline.HeapStats(Sizes, Promoted);
        Assert.Empty(_completed);

        _timeline.RestartEnd(1100);

        Assert.Equal(2, Assert.Single(_completed).Pauses.Count);
    }

    [Fact]
    public void Suspensions_that_are_not_for_a_gc_are_ignored()
    {
        _timeline.SuspendBegin(100, SuspendForGc);
        _timeline.Start(120, number: 1, generation: 2, reason: 0, kind: 1);
        _timeline.RestartEnd(150);
        _timeline.SuspendBegin(200, SuspendOther); // the sampling profiler
        _timeline.RestartEnd(210);
        _timeline.End(300, 1);
        _timeline.HeapStats(Sizes, Promoted);

        Assert.Single(Assert.Single(_completed).Pauses);
    }

    [Fact]
    public void A_gc_whose_start_was_missed_is_dropped_and_one_whose_pause_was_missed_prints_question_marks()
    {
        _timeline.End(100, 3); // the listener attached mid-GC
        _timeline.HeapStats(Sizes, Promoted);
        _timeline.RestartEnd(110);
        Assert.Empty(_completed);

        _timeline.Start(200, number: 4, generation: 0, reason: 1, kind: 0); // no SuspendEE seen
        _timeline.End(300, 4);
        _timeline.HeapStats(Sizes, Promoted);

        var gc = Assert.Single(_completed);
        var line = GcTraceLine.Format(gc, TimeSpan.FromSeconds(1.5), pausePercent: null, heapBeforeBytes: null);
        Assert.Equal("gc 4 @1.500s ?%: gen0 Induced NonConcurrent, ?+?+? ms clock, ?->23.3 MB, 3.8 MB promoted, ? MB gen0 budget, ? heaps", line);
    }

    [Fact]
    public void The_line_of_a_background_gc_has_both_pauses_and_the_concurrent_time()
    {
        var gc = new GcRecord(25, 2, GcReason.AllocSmall, GcKind.Background, startTicks: 0) { EndTicks = 100_000, HeapAfterBytes = 29_450_000, PromotedBytes = 18_870_000, HeapCount = 1 };
        gc.Pauses.Add(new GcPause(1_000, 1_130, 8_000, 8_250));       // 0.013+0.687+0.025 ms
        gc.Pauses.Add(new GcPause(50_000, 50_100, 51_000, 51_020));   // 0.010+0.090+0.002 ms

        var line = GcTraceLine.Format(gc, TimeSpan.FromSeconds(4.421), 2.04, heapBeforeBytes: 52_400_000);

        Assert.Equal("gc 25 @4.421s 2.0%: gen2 AllocSmall Background, 0.013+0.687+0.025 ms clock, 0.010+0.090+0.002 ms final, 9.1 ms concurrent, 50.0->28.1 MB, 18.0 MB promoted, ? MB gen0 budget, 1 heaps", line);
    }
}
