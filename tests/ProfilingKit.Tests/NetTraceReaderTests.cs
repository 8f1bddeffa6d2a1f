using Microsoft.Diagnostics.Tracing;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Tests;

public class NetTraceReaderTests
{
    private static readonly Lazy<byte[]> AllocationTrace = new(() => SelfTrace.Record(() => Allocator.Run(40_000, 2_000)));

    [Fact]
    public void Reads_the_same_allocation_samples_as_TraceEvent()
    {
        var ours = new List<(string Type, long Size, long Thread, int Frames)>();
        var reader = new NetTraceReader(new MemoryStream(AllocationTrace.Value), new RecordHandler((in TraceEventRecord r) =>
        {
            if (ClrEvents.IsAllocationSampled(r.Metadata)
                && ClrEventPayloads.TryReadAllocationSampled(r.Payload, r.PointerSize, out var type, out var size))
            {
                ours.Add((type.ToString(), size, r.ThreadId, r.Stack.Length));
            }
        }));
        reader.Read();

        var theirs = new List<(string Type, long Size, long Thread)>();
        using (var source = new EventPipeEventSource(new MemoryStream(AllocationTrace.Value)))
        {
            source.Clr.AllocationSampling += e => theirs.Add((e.TypeName, e.ObjectSize, e.ThreadID));
            source.Process();
        }

        Assert.True(theirs.Count > 500, $"expected many samples of 80 MB of allocations, TraceEvent saw {theirs.Count}");
        Assert.Equal(Sorted(theirs), Sorted(ours.Select(s => (s.Type, s.Size, s.Thread))));
        Assert.All(ours, sample => Assert.True(sample.Frames > 0, "every allocation sample carries a stack"));
        Assert.Contains(ours, sample => sample.Type == "System.Byte[]" && sample.Size == 2_000 + 24);
        Assert.Equal(Environment.ProcessId, reader.ProcessId);
        Assert.Equal(IntPtr.Size, reader.PointerSize);
    }

    [Fact]
    public void Counts_the_events_the_runtime_dropped_as_TraceEvent_does()
    {
        var trace = SelfTrace.Record(() => Allocator.Run(200_000, 2_000), readLate: true); // 400 MB of samples into a 1 MB buffer nobody reads
        var lost = new List<(long Count, long From, long To)>();
        var reader = new NetTraceReader(new MemoryStream(trace), new LostHandler(lost));
        reader.Read();

        long theirs;
        using (var source = new EventPipeEventSource(new MemoryStream(trace)))
        {
            source.Process();
            theirs = source.EventsLost;
        }

        Assert.True(theirs > 0, "the runtime should have dropped events");
        Assert.Equal(theirs, reader.LostEvents);
        Assert.Equal(theirs, lost.Sum(gap => gap.Count));
        Assert.All(lost, gap => Assert.True(gap.From <= gap.To, $"a gap from {gap.From} to {gap.To}"));

        var complete = new NetTraceReader(new MemoryStream(AllocationTrace.Value), new RecordHandler((in TraceEventRecord _) => { }));
        complete.Read();
        Assert.Equal(0, complete.LostEvents);

        // The allocs profile of the lossy trace says how many were dropped, as its estimates are low by them; the complete one says nothing.
        Assert.Contains($"the runtime dropped {theirs} events of this session", AllocsComments(trace));
        Assert.DoesNotContain("the runtime dropped", AllocsComments(AllocationTrace.Value));
    }

    private static string AllocsComments(byte[] trace)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, trace);
            using var file = TraceFiles.TraceFile.Read(path);
            var profile = file.Build(TraceFiles.TraceProfileKind.Allocations, "/t/App.dll");
            return string.Join(" ", profile.Comment.Select(c => profile.StringTable[(int)c]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class LostHandler(List<(long Count, long From, long To)> lost) : INetTraceHandler
    {
        public void OnEvent(in TraceEventRecord record)
        {
        }

        public void OnLost(long count, long from, long to) => lost.Add((count, from, to));
    }

    [Fact]
    public void Method_load_events_name_the_code_that_allocated()
    {
        var map = new Symbols.MethodAddressMap();
        var stacks = new List<ulong[]>();
        // Another test of this process may have compiled Allocator.Run before this session began, and then
        // only the rundown at its end names it (TraceFileTests does, and this failed 0 of 209 after it).
        var trace = SelfTrace.Record(() => Allocator.Run(20_000, 1_000), requestRundown: true);
        new NetTraceReader(new MemoryStream(trace), new RecordHandler((in TraceEventRecord r) =>
        {
            map.TryAdd(r);
            if (ClrEvents.IsAllocationSampled(r.Metadata)) stacks.Add(r.Stack.ToArray());
        })).Read();

        var named = stacks.Count(stack => stack.Any(ip => map.Resolve(ip) == typeof(Allocator).FullName + ".Run"));
        Assert.True(named > stacks.Count / 2, $"{named} of {stacks.Count} stacks name {nameof(Allocator)}.Run");
    }

    [Fact]
    public void A_truncated_trace_is_reported_as_truncated()
    {
        var cut = AllocationTrace.Value.AsSpan(0, AllocationTrace.Value.Length / 2).ToArray();

        var error = Assert.Throws<NetTraceFormatException>(() => new NetTraceReader(new MemoryStream(cut), new RecordHandler((in TraceEventRecord _) => { })).Read());

        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("This is a text file, not a trace.")]
    public void A_stream_that_is_not_nettrace_is_reported_as_such(string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);

        var error = Assert.Throws<NetTraceFormatException>(() => new NetTraceReader(new MemoryStream(bytes), new RecordHandler((in TraceEventRecord _) => { })).Read());

        Assert.True(error.Message.Contains("not a nettrace stream") || error.Message.Contains("truncated"), error.Message);
    }

    private static List<(string, long, long)> Sorted(IEnumerable<(string, long, long)> samples) => samples.Order().ToList();
}
