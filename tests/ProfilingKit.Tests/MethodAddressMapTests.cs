using ProfilingKit.Allocations;
using ProfilingKit.Contention;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Tests;

public class MethodAddressMapTests
{
    [Fact]
    public void Resolves_addresses_inside_a_method_and_nothing_outside()
    {
        var map = new MethodAddressMap();
        map.Add(0x2000, 0x100, "App.Worker", "Run");
        map.Add(0x1000, 0x10, "App.Program", "Main");

        Assert.Equal("App.Program.Main", map.Resolve(0x1000));
        Assert.Equal("App.Program.Main", map.Resolve(0x100F));
        Assert.Null(map.Resolve(0x1010));
        Assert.Null(map.Resolve(0x0FFF));
        Assert.Equal("App.Worker.Run", map.Resolve(0x20FF));
        Assert.Null(map.Resolve(0x2100));
    }

    [Fact]
    public void The_same_code_reported_twice_keeps_one_range_with_the_latest_name()
    {
        var map = new MethodAddressMap();
        map.Add(0x1000, 0x10, "App.Program", "Main");
        map.Add(0x1000, 0x20, "App.Program", "Main");

        Assert.Equal(1, map.Count);
        Assert.Equal("App.Program.Main", map.Resolve(0x101F));
    }

    [Fact]
    public void A_method_without_a_type_is_named_by_its_method_name_and_empty_code_is_ignored()
    {
        var map = new MethodAddressMap();
        map.Add(0x1000, 0x10, "", "DynamicMethod");
        map.Add(0x3000, 0, "App.Empty", "Nothing");

        Assert.Equal("DynamicMethod", map.Resolve(0x1001));
        Assert.Null(map.Resolve(0x3000));
    }

    [Fact]
    public void New_code_over_old_code_drops_the_old_range_though_its_unload_was_not_reported()
    {
        var map = new MethodAddressMap();
        map.Add(0x1000, 0x100, "App", "Old");
        map.Add(0x1080, 0x100, "App", "New");

        Assert.Equal("App.New", map.Resolve(0x1090));
        Assert.Null(map.Resolve(0x1010)); // the old code's start lies under nothing live now
        Assert.Equal(1, map.Count);
        Assert.Equal(2, map.CodeCount);
    }

    [Fact]
    public void An_unload_event_frees_the_range_of_that_code_and_no_other()
    {
        var map = new MethodAddressMap();
        var load = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.MethodLoadVerboseEventId, 1);
        var unload = new EventMetadata(2, ClrEvents.RuntimeProvider, ClrEvents.MethodUnloadVerboseEventId, 1);
        Assert.True(map.TryAdd(new TraceEventRecord(load, 8, 1, 1, [], MethodPayload(methodId: 7, start: 0x1000, "lambda_method1"))));
        Assert.True(map.TryAdd(new TraceEventRecord(load, 8, 1, 2, [], MethodPayload(methodId: 8, start: 0x2000, "lambda_method2"))));

        Assert.True(map.TryAdd(new TraceEventRecord(unload, 8, 1, 3, [], MethodPayload(methodId: 9, start: 0x2000, "lambda_method2")))); // not the code there
        Assert.True(map.TryAdd(new TraceEventRecord(unload, 8, 1, 4, [], MethodPayload(methodId: 7, start: 0x1000, "lambda_method1"))));

        Assert.Null(map.Resolve(0x1010));
        Assert.Equal("dynamicClass.lambda_method2", map.Resolve(0x2010));
    }

    [Fact]
    public void A_sample_keeps_the_name_of_the_code_that_ran_though_its_address_is_freed_and_reused()
    {
        var map = new MethodAddressMap();
        var sampler = new AllocationSampler(map, _ => false);
        var sampled = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.AllocationSampledEventId, 0);
        map.Add(0x9000, 0x100, "App.Program", "Main", new MethodIdentity(1, 1, 1));
        for (var generation = 1; generation <= 3; generation++)
        {
            // A compiled expression at the same address each time, as freed code is reused; each allocates once per generation.
            map.Add(0x1000, 0x100, "dynamicClass", $"lambda_method{generation}", new MethodIdentity(100UL + (ulong)generation, 2, 0));
            for (var i = 0; i < generation; i++) sampler.OnEvent(new TraceEventRecord(sampled, 8, 1, i, [0x1010, 0x9010], BoundedStacksTests.AllocationSampledPayload("System.Byte[]", 1000)));
            Assert.True(map.TryRemove(0x1000, new MethodIdentity(100UL + (ulong)generation, 2, 0)));
        }

        var symbolizer = new StackSymbolizer(map);
        var samplesByLeaf = sampler.Snapshot().Sites.GroupBy(site => symbolizer.Symbolize(site.Stack)[0].FunctionName).ToDictionary(group => group.Key, group => group.Sum(site => site.Samples));

        Assert.Equal(new Dictionary<string, long> { ["dynamicClass.lambda_method1"] = 1, ["dynamicClass.lambda_method2"] = 2, ["dynamicClass.lambda_method3"] = 3 }, samplesByLeaf);
        Assert.All(sampler.Snapshot().Sites, site => Assert.Equal("App.Program.Main", symbolizer.Symbolize(site.Stack)[^1].FunctionName));
    }

    [Fact]
    public void New_code_in_a_reused_method_desc_at_the_same_address_is_new_code_and_the_old_one_s_late_unload_leaves_it()
    {
        // The runtime reuses a collected dynamic method's MethodDesc, and identical lambdas compile to the same
        // size at the same address; the old one's unload, from the finalizer's thread, may come after the new load.
        var map = new MethodAddressMap();
        var sampler = new AllocationSampler(map, _ => false);
        var sampled = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.AllocationSampledEventId, 0);
        var identity = new MethodIdentity(100, 2, 0);
        map.Add(0x1000, 0x100, "dynamicClass", "lambda_method1", identity, rundown: false);
        sampler.OnEvent(new TraceEventRecord(sampled, 8, 1, 0, [0x1010], BoundedStacksTests.AllocationSampledPayload("System.Byte[]", 1000)));
        map.Add(0x1000, 0x100, "dynamicClass", "lambda_method2", identity, rundown: false);
        Assert.False(map.TryRemove(0x1000, identity, "dynamicClass.lambda_method1")); // lambda_method1's unload, late
        for (var i = 0; i < 2; i++) sampler.OnEvent(new TraceEventRecord(sampled, 8, 1, 0, [0x1010], BoundedStacksTests.AllocationSampledPayload("System.Byte[]", 1000)));
        map.Add(0x1000, 0x100, "dynamicClass", "lambda_method2", identity); // a rundown lists the live one again

        var symbolizer = new StackSymbolizer(map);
        var samplesByLeaf = sampler.Snapshot().Sites.GroupBy(site => symbolizer.Symbolize(site.Stack)[0].FunctionName).ToDictionary(group => group.Key, group => group.Sum(site => site.Samples));
        Assert.Equal(new Dictionary<string, long> { ["dynamicClass.lambda_method1"] = 1, ["dynamicClass.lambda_method2"] = 2 }, samplesByLeaf);
        Assert.Equal("dynamicClass.lambda_method2", map.Resolve(0x1010));
    }

    [Fact]
    public void A_wait_keeps_the_name_of_the_code_that_waited_though_its_address_is_reused()
    {
        var map = new MethodAddressMap();
        var sampler = new ContentionSampler(_ => false, 1_000_000_000, methods: map);
        var contended = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.ContentionStartEventId, 0);
        var stopped = new EventMetadata(2, ClrEvents.RuntimeProvider, ClrEvents.ContentionStopEventId, 0);
        map.Add(0x1000, 0x100, "dynamicClass", "lambda_method1", new MethodIdentity(101, 2, 0));
        sampler.OnEvent(new TraceEventRecord(contended, 8, 1, 0, [0x1010], new byte[4]));
        sampler.OnEvent(new TraceEventRecord(stopped, 8, 1, 500, [], new byte[3]));
        map.Add(0x1000, 0x100, "dynamicClass", "lambda_method2", new MethodIdentity(102, 2, 0)); // new code where the first was

        var site = Assert.Single(sampler.Snapshot());
        Assert.Equal("dynamicClass.lambda_method1", new StackSymbolizer(map).Symbolize(site.Stack).Single().FunctionName);
        Assert.Equal(500, site.DelayNanos);
    }

    [Fact]
    public void Freed_code_that_no_kept_stack_names_is_forgotten_and_the_code_that_samples_name_stays_named()
    {
        const int limit = 10;
        var map = new MethodAddressMap(freedCodeLimit: limit);
        var allocations = new AllocationSampler(map, _ => false, new SourceLineMap());
        var contentions = new ContentionSampler(_ => false, 1_000_000_000, methods: map);
        var load = new EventMetadata(1, ClrEvents.RuntimeProvider, ClrEvents.MethodLoadVerboseEventId, 1);
        var unload = new EventMetadata(2, ClrEvents.RuntimeProvider, ClrEvents.MethodUnloadVerboseEventId, 1);
        var sampled = new EventMetadata(3, ClrEvents.RuntimeProvider, ClrEvents.AllocationSampledEventId, 0);
        var contended = new EventMetadata(4, ClrEvents.RuntimeProvider, ClrEvents.ContentionStartEventId, 0);
        var stopped = new EventMetadata(5, ClrEvents.RuntimeProvider, ClrEvents.ContentionStopEventId, 0);

        // 1,000 compiled expressions, one after another at the same address; every 100th allocates, the 550th waits for a lock.
        const int expressions = 1_000;
        for (var i = 0; i < expressions; i++)
        {
            var id = 1000UL + (ulong)i;
            allocations.OnEvent(new TraceEventRecord(load, 8, 1, i, [], MethodPayload(id, start: 0x1000, $"lambda_method{i}")));
            if (i % 100 == 0) allocations.OnEvent(new TraceEventRecord(sampled, 8, 1, i, [0x1010], BoundedStacksTests.AllocationSampledPayload("System.Byte[]", 1000)));
            if (i == 550)
            {
                contentions.OnEvent(new TraceEventRecord(contended, 8, 1, i, [0x1020], new byte[4]));
                contentions.OnEvent(new TraceEventRecord(stopped, 8, 1, i, [], new byte[3]));
            }

            allocations.OnEvent(new TraceEventRecord(unload, 8, 1, i, [], MethodPayload(id, start: 0x1000, $"lambda_method{i}")));
        }

        // The table stays the size of what is named, not of what was compiled.
        const int named = (expressions / 100) + 1;
        Assert.InRange(map.FreedCount, named, Math.Max(limit, 2 * named) + 1);
        Assert.Equal(expressions - map.FreedCount, map.ForgottenCount);
        Assert.Equal(map.FreedCount, map.CodeCount); // nothing is live any more
        Assert.Contains($"{map.ForgottenCount} bodies of freed code", allocations.Snapshot().Bounds.Describe());

        var symbolizer = new StackSymbolizer(map);
        var leaves = allocations.Snapshot().Sites.Select(site => symbolizer.Symbolize(site.Stack).Single().FunctionName).Order().ToList();
        Assert.Equal(Enumerable.Range(0, expressions / 100).Select(i => $"dynamicClass.lambda_method{i * 100}").Order(), leaves);
        Assert.Equal("dynamicClass.lambda_method550", symbolizer.Symbolize(Assert.Single(contentions.Snapshot()).Stack).Single().FunctionName);
    }

    /// <summary>MethodLoadVerbose's payload (MethodUnloadVerbose's too): ids, start, size, token, flags, then namespace, name and signature.</summary>
    private static byte[] MethodPayload(ulong methodId, ulong start, string name)
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(methodId));
        payload.AddRange(BitConverter.GetBytes(2UL)); // module
        payload.AddRange(BitConverter.GetBytes(start));
        payload.AddRange(BitConverter.GetBytes(0x100u)); // size
        payload.AddRange(BitConverter.GetBytes(0u)); // token
        payload.AddRange(BitConverter.GetBytes(0u)); // flags
        foreach (var text in new[] { "dynamicClass", name, "void ()" }) payload.AddRange(System.Text.Encoding.Unicode.GetBytes(text + "\0"));
        return payload.ToArray();
    }
}
