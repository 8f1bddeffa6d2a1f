using ProfilingKit.Allocations;
using ProfilingKit.Contention;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Tests;

public class BoundedStacksTests
{
    private const ulong Main = 0x1000, Handler = 0x2000, Parse = 0x3000, Format = 0x4000;

    [Fact]
    public void Stacks_that_share_callers_store_them_once_and_come_back_whole()
    {
        var table = new StackTable();

        var parse = table.Intern([Parse, Handler, Main]);
        var format = table.Intern([Format, Handler, Main]);
        var again = table.Intern([Parse, Handler, Main]);
        var caller = table.Intern([Handler, Main]);

        Assert.Equal(parse, again);
        Assert.Equal([0, 1, 2], new[] { parse, format, caller });
        Assert.Equal(4, table.NodeCount); // Main, Handler, Parse, Format: the shared callers once
        Assert.Equal(new ulong[] { Parse, Handler, Main }, table[parse]);
        Assert.Equal(new ulong[] { Format, Handler, Main }, table[format]);
        Assert.Equal(new ulong[] { Handler, Main }, table[caller]);
        Assert.Empty(table[table.Intern([])]);
    }

    [Fact]
    public void A_stack_deeper_than_gos_limit_keeps_its_leaf_end_under_a_truncated_root()
    {
        var table = new StackTable();
        var deep = Enumerable.Range(1, 300).Select(i => (ulong)i * 0x10).ToArray(); // leaf first

        var kept = table[table.Intern(deep)];

        Assert.Equal(StackTable.MaxDepth + 1, kept.Length);
        Assert.Equal(deep[..StackTable.MaxDepth], kept[..StackTable.MaxDepth]);
        Assert.Equal(StackTable.TruncatedFrame, kept[^1]);
        Assert.Equal(1, table.TruncatedCount);
        Assert.Equal("[truncated]", new StackSymbolizer(new MethodAddressMap()).Symbolize(kept).Single().FunctionName);
    }

    [Fact]
    public void Past_its_budget_the_table_merges_the_lightest_stacks_and_keeps_the_totals_and_the_heavy_ones()
    {
        const long Budget = 512 << 10;
        var sites = new BoundedSites<Weight>(Budget);
        var random = new Random(11);
        double added = 0;
        long largest = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var stack = RandomRecursion(random);
            var heavy = i % 10 == 0;
            var value = new Weight(heavy ? 1000 : 1);
            sites.Add(heavy ? [Parse, Handler, Main] : stack, key: i % 3, labels: i % 2, value);
            added += value.Value;
            largest = Math.Max(largest, sites.ApproximateBytes);
        }

        var all = sites.Sites();
        Assert.True(largest <= Budget, $"the table reached {largest:N0} bytes, over its budget of {Budget:N0}");
        Assert.True(sites.MergedStacks > 10_000, $"{sites.MergedStacks} stacks merged");
        Assert.Equal(added, all.Sum(site => site.Value.Value)); // nothing lost, nothing made up
        Assert.Equal(3, all.Count(site => site.Stack.SequenceEqual([Parse, Handler, Main]))); // the heavy stack keeps its own, per key (its i are all even: one label set)
        Assert.Equal(6, all.Count(site => site.Stack.SequenceEqual([StackTable.OtherStacksFrame]))); // merged per key and label set
        Assert.Equal(50_000, all.Where(site => site.Labels == 1).Sum(site => site.Value.Value)); // each label set keeps its exact total
        Assert.Contains("stacks that carried the least were merged into [other stacks] to keep the table within 0.5 MB", sites.Bounds.Describe());
    }

    [Fact]
    public void With_more_keys_than_the_budget_holds_the_table_compacts_rarely_and_loses_nothing()
    {
        var sites = new BoundedSites<Weight>(64 << 10); // less than the 2,000 keys' sites on one stack need
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++) sites.Add(RandomRecursion(random), key: i % 2_000, labels: 0, new Weight(1));

        Assert.Equal(20_000, sites.Sites().Sum(site => site.Value.Value));
        Assert.True(sites.Generation < 2_000, $"{sites.Generation} compactions for 20,000 sites: one per add would make adding quadratic");
        Assert.Equal(2_000, sites.Sites().Count(site => site.Stack.SequenceEqual([StackTable.OtherStacksFrame])));
    }

    [Fact]
    public void A_wait_that_spans_a_compaction_counts_with_the_merged_stacks_and_none_is_lost()
    {
        var contended = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.ContentionStartEventId, 0);
        var stopped = new EventMetadata(2, ClrEvents.RuntimeProvider, ClrEvents.ContentionStopEventId, 0);
        var sampler = new ContentionSampler(_ => false, 1_000_000_000, budgetBytes: 64 << 10);
        var random = new Random(3);
        var start = new byte[] { 0, 0, 0, 0 }; // flags 0: a managed lock, clr instance 0
        var stop = new byte[3]; // ContentionStop V0, no duration: the timestamps tell it

        // Thread 1 starts waiting; 5,000 short waits on other stacks force compactions; then thread 1's wait ends.
        sampler.OnEvent(new TraceEventRecord(contended, 8, 1, 0, [Parse, Handler, Main], start));
        for (var i = 0; i < 5_000; i++)
        {
            sampler.OnEvent(new TraceEventRecord(contended, 8, 2, i * 10L, RandomRecursion(random), start));
            sampler.OnEvent(new TraceEventRecord(stopped, 8, 2, (i * 10L) + 1, [], stop));
        }

        sampler.OnEvent(new TraceEventRecord(stopped, 8, 1, 1_000_000, [], stop));

        var sites = sampler.Snapshot();
        Assert.True(sampler.Bounds.MergedStacks > 0);
        Assert.Equal(5_001, sites.Sum(site => site.Count));
        Assert.Equal(5_000 + 1_000_000, sites.Sum(site => site.DelayNanos));
    }

    [Fact]
    public void Types_first_seen_after_the_type_table_is_full_count_as_other_types_and_none_is_lost()
    {
        var sampler = new AllocationSampler(new MethodAddressMap(), _ => false, budgetBytes: 64 << 10); // 16 KB of type names
        var sampled = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.AllocationSampledEventId, 0);
        for (var i = 0; i < 1_000; i++)
        {
            var type = $"App.Generic`1[[App.Instantiation{i}, App]]";
            sampler.OnEvent(new TraceEventRecord(sampled, 8, 1, i, [Parse, Handler, Main], AllocationSampledPayload(type, 100)));
        }

        var snapshot = sampler.Snapshot();
        var types = snapshot.Sites.Select(site => site.TypeName).ToList();
        Assert.Equal(1_000, snapshot.Sites.Sum(site => site.Samples));
        Assert.Contains("App.Generic`1[[App.Instantiation0, App]]", types); // the first ones keep their names
        Assert.InRange(types.Count, 100, 200); // 16 KB of ~100-byte names, and one [other types]
        Assert.Equal(1_000 - (types.Count - 1), snapshot.Sites.Single(site => site.TypeName == AllocationSampler.OtherTypes).Samples);
        Assert.Contains($"{1_000 - (types.Count - 1)} samples of types first seen after the type table reached its 0.02 MB have the type [other types]", snapshot.Bounds.Describe());
    }

    /// <summary>AllocationSampled's payload: kind, clr instance, type id, type name, heap index, address, object size (64-bit pointers).</summary>
    internal static byte[] AllocationSampledPayload(string typeName, long size)
    {
        var name = System.Text.Encoding.Unicode.GetBytes(typeName + "\0");
        var payload = new byte[6 + 8 + name.Length + 8 + 8];
        name.CopyTo(payload, 14);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(14 + name.Length + 8), size);
        return payload;
    }

    /// <summary>A stack of random recursion, 1-60 deep through 20 methods under one root, leaf first: what parsers and tree walks make.</summary>
    internal static ulong[] RandomRecursion(Random random)
    {
        var depth = random.Next(1, 61);
        var stack = new ulong[depth + 1];
        for (var i = 0; i < depth; i++) stack[i] = 0x10_0000 + ((ulong)random.Next(20) * 0x100);
        stack[depth] = Main;
        return stack;
    }

    internal readonly record struct Weight(double Value) : ISiteValue<Weight>
    {
        double ISiteValue<Weight>.Weight => Value;

        public Weight Plus(in Weight other) => new(Value + other.Value);
    }
}

/// <summary>
/// Measures a table's memory as the heap's growth, so it runs alone: other tests' allocations and
/// releases in the same process moved the figure by 16% (a CI run, 2,000 stacks).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietHeapCollection
{
    public const string Name = "quiet heap";
}

[Collection(QuietHeapCollection.Name)]
public class StackTableMemoryTests
{
    [Theory]
    [InlineData(2_000)]
    [InlineData(20_000)]
    public void The_tables_own_account_of_its_memory_is_within_a_tenth_of_what_it_holds(int stacks)
    {
        // What the table holds: the heap with it less the heap before it, measured while no other test runs.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var sites = new BoundedSites<BoundedStacksTests.Weight>(long.MaxValue);
        var random = new Random(7);
        for (var i = 0; i < stacks; i++) sites.Add(BoundedStacksTests.RandomRecursion(random), key: i % 3, labels: 0, new BoundedStacksTests.Weight(1));
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        var estimate = sites.ApproximateBytes;
        GC.KeepAlive(sites);

        Assert.True(Math.Abs(held - estimate) <= estimate / 10, $"the table holds {held:N0} bytes, its own account says {estimate:N0}");
    }
}
