using System.Buffers.Binary;
using ProfilingKit.Allocations;

namespace ProfilingKit.Tests;

/// <summary>
/// What one GC's survival and movement events say of an object (<see cref="GcSurvival"/>): kept where a
/// range holds it, moved with its range, collected where the GC condemned its region and no range
/// holds it, untouched where the GC did not condemn it.
/// </summary>
public class GcSurvivalTests
{
    private const ulong Gen0 = 0x10_0000, Gen1 = 0x20_0000, Gen2 = 0x30_0000, Loh = 0x40_0000;

    [Fact]
    public void A_sweeping_gen0_gc_keeps_its_survivors_collects_the_rest_and_leaves_older_generations_alone()
    {
        var gc = GcOf(depth: 0, background: false);
        gc.AddRanges(Surviving((Gen0 + 0x100, 0x80)), pointerSize: 8, moved: false);

        Assert.Equal(Gen0 + 0x140, gc.Follow(Gen0 + 0x140));
        Assert.Null(gc.Follow(Gen0 + 0x200));
        Assert.Equal(Gen1 + 0x10, gc.Follow(Gen1 + 0x10));
        Assert.Equal(Loh + 0x10, gc.Follow(Loh + 0x10));
    }

    [Fact]
    public void A_compacting_gc_moves_each_survivor_with_its_range()
    {
        var gc = GcOf(depth: 1, background: false);
        gc.AddRanges(Moved((Gen0 + 0x1000, Gen2 + 0x500, 0x100), (Gen1 + 0x40, Gen1, 0x40)), pointerSize: 8, moved: true);

        Assert.Equal(Gen2 + 0x520, gc.Follow(Gen0 + 0x1020));
        Assert.Equal(Gen1 + 0x10, gc.Follow(Gen1 + 0x50));
        Assert.Null(gc.Follow(Gen1 + 0x10)); // gen1 was condemned too
        Assert.Equal(Gen2 + 0x20, gc.Follow(Gen2 + 0x20));
    }

    [Fact]
    public void A_full_gc_condemns_the_large_object_heap_and_a_background_one_only_gen2_and_above()
    {
        var full = GcOf(depth: 2, background: false);
        full.AddRanges(Surviving(), pointerSize: 8, moved: false);
        Assert.Null(full.Follow(Loh + 0x10));
        Assert.Null(full.Follow(Gen0 + 0x10));

        var background = GcOf(depth: 2, background: true);
        background.AddRanges(Surviving((Loh, 0x10)), pointerSize: 8, moved: false);
        Assert.Equal(Gen0 + 0x10, background.Follow(Gen0 + 0x10));
        Assert.Equal(Loh + 0x8, background.Follow(Loh + 0x8));
        Assert.Null(background.Follow(Loh + 0x80));
        Assert.Null(background.Follow(Gen2 + 0x10));
    }

    [Fact]
    public void Only_the_regions_listed_at_the_gc_s_start_decide_what_it_condemned()
    {
        var gc = new GcSurvival(number: 1, depth: 0, background: false, start: 1);
        gc.AddRegion(1, Gen1, 0x1000);
        gc.AddRegion(0, Gen0, 0x1000);
        gc.AddRegion(1, Gen1 + 0x1000, 0x1000); // Server GC: the next heap's list starts again from the top
        gc.AddRegion(0, Gen1 + 0x2000, 0x1000);
        gc.AddRanges(Surviving(), pointerSize: 8, moved: false);
        gc.AddRegion(1, Gen0, 0x1000); // the end's list: gen0's region is gen1's now

        Assert.Null(gc.Follow(Gen0 + 0x10));
        Assert.Null(gc.Follow(Gen1 + 0x2010)); // the second heap's gen0
        Assert.Equal(Gen1 + 0x1010, gc.Follow(Gen1 + 0x1010));
        Assert.Null(gc.Follow(0x90_0000)); // in no region of the heap: its region was freed
        Assert.Equal(0x90_0000ul, gc.Follow(0x90_0000, condemn: false)); // unless the GC was seen only in part
    }

    private static GcSurvival GcOf(int depth, bool background)
    {
        var gc = new GcSurvival(number: 1, depth, background, start: 1);
        gc.AddRegion(3, Loh, 0x1000);
        gc.AddRegion(2, Gen2, 0x1000);
        gc.AddRegion(1, Gen1, 0x1000);
        gc.AddRegion(0, Gen0, 0x2000);
        return gc;
    }

    /// <summary>A GCBulkSurvivingObjectRanges payload: Index, Count, ClrInstanceID, then each range's base and length.</summary>
    internal static byte[] Surviving(params (ulong Base, ulong Length)[] ranges) =>
        Payload(ranges.Length, 16, (range, i) =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(range, ranges[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(range.Slice(8), ranges[i].Length);
        });

    /// <summary>A GCBulkMovedObjectRanges payload: Index, Count, ClrInstanceID, then each range's old base, new base and length.</summary>
    internal static byte[] Moved(params (ulong Old, ulong New, ulong Length)[] ranges) =>
        Payload(ranges.Length, 24, (range, i) =>
        {
            BinaryPrimitives.WriteUInt64LittleEndian(range, ranges[i].Old);
            BinaryPrimitives.WriteUInt64LittleEndian(range.Slice(8), ranges[i].New);
            BinaryPrimitives.WriteUInt64LittleEndian(range.Slice(16), ranges[i].Length);
        });

    private delegate void RangeWriter(Span<byte> range, int index);

    private static byte[] Payload(int count, int rangeSize, RangeWriter write)
    {
        var payload = new byte[10 + count * rangeSize];
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), (uint)count);
        for (var i = 0; i < count; i++) write(payload.AsSpan(10 + i * rangeSize, rangeSize), i);
        return payload;
    }
}
