using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using ProfilingKit.EventPipe;
using ProfilingKit.Symbols;

namespace ProfilingKit.Tests;

/// <summary>The MethodRichDebugInfo payload, the inline tree it carries, and the line map's use of both.</summary>
public sealed class RichDebugInfoTests
{
    /// <summary>
    /// A real MethodRichDebugInfo payload, as the sampler session read it in AllocatingApp run with
    /// DOTNET_RichDebugInfo=1 and inlined=40 on .NET 10.0 (x64 Linux): the code of
    /// InliningLibrary.InlinedAllocations.Run (MethodID 0x7FDDA2D2D578), which inlines NewBuffer
    /// (MethodID 0x7FDDA2D2D598). Its allocation's return address was at native offset 0x4D.
    /// </summary>
    private const string RunPayload =
        "000078D5D2A2DD7F00000000000000000000000000000000000000000080B2000000020000000A00000078D5D2A2DD7F0000" +
        "FFFFFFFF010000000000000098D5D2A2DD7F000000000000000000000000000000000000000000001000000002080000" +
        "000000000016000000020B0000000000000019000000021F000000000000001C0000000200000000010000002A000000" +
        "021C000000010000004E000000020F0000000000000057000000021B000000000000005D000000021F00000000000000" +
        "600000000223000000000000006500000002";

    private const ulong RunMethod = 0x7FDDA2D2D578;
    private const ulong NewBufferMethod = 0x7FDDA2D2D598;

    /// <summary>The code the MethodLoad events of these tests report: the line map keys its trees by the code's start and method.</summary>
    private static readonly MethodIdentity RunIdentity = new(RunMethod, 0x55, 0x06000001);

    private static readonly EventMetadata RichDebugInfoEvent = new(1, ClrEvents.PrivateProvider, ClrEvents.MethodRichDebugInfoEventId, 0);
    private static readonly EventMetadata MethodDetailsEvent = new(2, ClrEvents.RuntimeProvider, ClrEvents.MethodDetailsEventId, 0);
    private static readonly EventMetadata MethodLoadEvent = new(3, ClrEvents.RuntimeProvider, ClrEvents.MethodLoadVerboseEventId, 1);
    private static readonly EventMetadata ModuleLoadEvent = new(4, ClrEvents.RuntimeProvider, ClrEvents.ModuleLoadEventId, 2);

    [Fact]
    public void A_real_payload_is_one_last_chunk_of_its_method()
    {
        var payload = Convert.FromHexString(RunPayload);

        Assert.True(ClrEventPayloads.TryReadRichDebugInfoChunk(payload, out var methodId, out var chunkIndex, out var lastChunk, out var data));
        Assert.Equal(RunMethod, methodId);
        Assert.Equal(0, chunkIndex);
        Assert.True(lastChunk);
        Assert.Equal(payload.Length - 34, data.Length);
    }

    [Fact]
    public void The_real_inline_tree_names_the_inlinee_at_the_allocation_and_nothing_in_the_loop_around_it()
    {
        var inlining = Parse(RunPayload);

        Assert.Equal(new[] { new InlinedCall(NewBufferMethod, 0) }, CallsAt(inlining, 0x4C));
        Assert.Equal(new[] { new InlinedCall(NewBufferMethod, 0x1C) }, CallsAt(inlining, 0x50));
        Assert.Empty(CallsAt(inlining, 0x20)); // the loop's own code, before the inlined body
        Assert.Empty(CallsAt(inlining, 0x57)); // back in Run after it
        Assert.Empty(CallsAt(inlining, 0x0)); // the prolog, before any mapping
        Assert.Equal(4, inlining.MappingCount); // of 10: the method's own first, the inlinee's two, the method's own after them
    }

    [Fact]
    public void A_chain_lists_the_innermost_call_first_and_each_caller_with_its_own_last_IL_offset()
    {
        // Run inlines A at IL 4; A inlines B. A's own code (IL 6) comes before B's (IL 2).
        var blob = Blob(
            nodes: [(RunMethod, uint.MaxValue, 1, 0), (0xA, 4, 2, 0), (0xB, 0xDEADBEEF, 0, 0)],
            mappings: [(0, 0, 0x00), (6, 1, 0x10), (2, 2, 0x20), (9, 0, 0x30)]);
        var inlining = RichDebugInfo.TryParse(blob)!;

        Assert.Equal(new[] { new InlinedCall(0xB, 2), new InlinedCall(0xA, 6) }, CallsAt(inlining, 0x25));
        Assert.Equal(new[] { new InlinedCall(0xA, 6) }, CallsAt(inlining, 0x1F));
        Assert.Empty(CallsAt(inlining, 0x30));
    }

    [Fact]
    public void A_caller_without_a_mapping_of_its_own_has_no_IL_offset()
    {
        // The tree's call-site IL offsets are not trusted (.NET 10 reports garbage in some).
        var blob = Blob(
            nodes: [(RunMethod, uint.MaxValue, 1, 0), (0xA, 0x70478480, 2, 0), (0xB, 3, 0, 0)],
            mappings: [(0, 0, 0x00), (2, 2, 0x20)]);

        Assert.Equal(new[] { new InlinedCall(0xB, 2), new InlinedCall(0xA, -1) }, CallsAt(RichDebugInfo.TryParse(blob)!, 0x21));
    }

    [Fact]
    public void Prolog_epilog_and_no_mapping_markers_are_the_method_itself()
    {
        var blob = Blob(nodes: [(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 0)], mappings: [(0xFFFFFFFE, 1, 0x00), (0xFFFFFFFD, 1, 0x10)]);

        var inlining = RichDebugInfo.TryParse(blob)!;
        Assert.Empty(CallsAt(inlining, 0x05));
        Assert.Empty(CallsAt(inlining, 0x15));
    }

    [Fact]
    public void Code_that_inlined_nothing_or_has_no_mapping_in_inlined_code_is_not_kept()
    {
        Assert.Null(RichDebugInfo.TryParse(Blob(nodes: [(RunMethod, uint.MaxValue, 0, 0)], mappings: [(0, 0, 0)])));
        Assert.Null(RichDebugInfo.TryParse(Blob(nodes: [(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 0)], mappings: [(0, 0, 0), (4, 0, 0x10)])));
    }

    [Fact]
    public void Every_truncation_of_a_real_payload_is_read_or_refused_without_throwing()
    {
        var payload = Convert.FromHexString(RunPayload);
        for (var length = 0; length < payload.Length; length++)
        {
            var cut = payload.AsSpan(0, length);
            Assert.False(ClrEventPayloads.TryReadRichDebugInfoChunk(cut, out _, out _, out _, out _), $"length {length}");
        }

        var blob = payload.AsSpan(34).ToArray();
        for (var length = 0; length < blob.Length; length++)
        {
            Assert.Null(RichDebugInfo.TryParse(blob.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("a mapping names a node that does not exist")]
    [InlineData("a child link points past the nodes")]
    [InlineData("two nodes are each other's sibling")]
    [InlineData("a node is its own child")]
    [InlineData("counts claim more than the blob holds")]
    public void A_malformed_blob_is_refused(string fault)
    {
        var blob = fault switch
        {
            "a mapping names a node that does not exist" => Blob([(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 0)], [(0, 2, 0)]),
            "a child link points past the nodes" => Blob([(RunMethod, uint.MaxValue, 5, 0), (0xA, 0, 0, 0)], [(0, 1, 0)]),
            "two nodes are each other's sibling" => Blob([(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 2), (0xB, 0, 0, 1)], [(0, 1, 0)]),
            "a node is its own child" => Blob([(RunMethod, uint.MaxValue, 0, 0), (0xA, 0, 1, 0), (0xB, 0, 0, 0)], [(0, 1, 0)]),
            _ => CountsTooLarge(),
        };

        Assert.Null(RichDebugInfo.TryParse(blob));
    }

    [Fact]
    public void A_node_the_tree_does_not_link_in_gives_no_calls()
    {
        // Node 2 is nobody's child: a mapping into it has no chain up to the method.
        var blob = Blob([(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 0), (0xB, 0, 0, 0)], [(0, 2, 0x10)]);

        Assert.Empty(CallsAt(RichDebugInfo.TryParse(blob)!, 0x11));
    }

    [Fact]
    public void The_line_map_names_an_inlinee_from_its_module_with_file_and_line_from_its_pdb()
    {
        using var lines = new SourceLineMap();
        var newBuffer = NewBufferToken(out var libraryPath);
        Feed(lines, MethodLoadEvent, MethodLoad(RunMethod, moduleId: 0x55, start: 0x10000, size: 0x80));
        Feed(lines, ModuleLoadEvent, ModuleLoad(0x55, libraryPath));
        Feed(lines, MethodDetailsEvent, MethodDetails(NewBufferMethod, newBuffer, loaderModuleId: 0x55));
        Feed(lines, RichDebugInfoEvent, Convert.FromHexString(RunPayload));

        var frames = lines.InlinedFramesAt(new MethodCode(0x10000, 0x10080, "InliningLibrary.InlinedAllocations.Run", RunIdentity), 0x1004C);

        var frame = Assert.Single(frames);
        Assert.Equal("InliningLibrary.InlinedAllocations.NewBuffer", frame.FunctionName);
        Assert.EndsWith("InlinedAllocations.cs", frame.FileName);
        Assert.Equal(LineOf(frame.FileName!, "Made++;"), frame.Line);
        Assert.Empty(lines.InlinedFramesAt(new MethodCode(0x10000, 0x10080, "InliningLibrary.InlinedAllocations.Run", RunIdentity), 0x10020));
    }

    [Fact]
    public void A_blob_in_two_chunks_is_joined_and_one_out_of_order_is_dropped()
    {
        var payload = Convert.FromHexString(RunPayload);
        var blob = payload.AsSpan(34).ToArray();
        var first = Chunk(RunMethod, 0, last: false, blob.AsSpan(0, 50));
        var second = Chunk(RunMethod, 1, last: true, blob.AsSpan(50));
        var code = new MethodCode(0x10000, 0x10080, "InliningLibrary.InlinedAllocations.Run", RunIdentity);
        var newBuffer = NewBufferToken(out var libraryPath);

        using var joined = new SourceLineMap();
        using var dropped = new SourceLineMap();
        foreach (var (lines, chunks) in new[] { (joined, new[] { first, second }), (dropped, new[] { second, first }) })
        {
            Feed(lines, MethodLoadEvent, MethodLoad(RunMethod, moduleId: 0x55, start: 0x10000, size: 0x80));
            Feed(lines, ModuleLoadEvent, ModuleLoad(0x55, libraryPath));
            Feed(lines, MethodDetailsEvent, MethodDetails(NewBufferMethod, newBuffer, loaderModuleId: 0x55));
            foreach (var chunk in chunks) Feed(lines, RichDebugInfoEvent, chunk);
        }

        Assert.Equal("InliningLibrary.InlinedAllocations.NewBuffer", Assert.Single(joined.InlinedFramesAt(code, 0x1004C)).FunctionName);
        Assert.Empty(dropped.InlinedFramesAt(code, 0x1004C));
    }

    [Fact]
    public void An_inlinee_whose_module_is_unknown_is_left_out()
    {
        using var lines = new SourceLineMap();
        Feed(lines, MethodLoadEvent, MethodLoad(RunMethod, moduleId: 0x55, start: 0x10000, size: 0x80));
        Feed(lines, MethodDetailsEvent, MethodDetails(NewBufferMethod, 0x06000001, loaderModuleId: 0x77));
        Feed(lines, RichDebugInfoEvent, Convert.FromHexString(RunPayload));

        Assert.Empty(lines.InlinedFramesAt(new MethodCode(0x10000, 0x10080, "Run", RunIdentity), 0x1004C));
    }

    private static RichDebugInfo Parse(string payloadHex)
    {
        Assert.True(ClrEventPayloads.TryReadRichDebugInfoChunk(Convert.FromHexString(payloadHex), out _, out _, out _, out var data));
        return RichDebugInfo.TryParse(data) ?? throw new InvalidOperationException("the blob did not parse");
    }

    private static List<InlinedCall> CallsAt(RichDebugInfo inlining, uint nativeOffset)
    {
        var calls = new List<InlinedCall>();
        inlining.AddInlinedCallsAt(nativeOffset, calls);
        return calls;
    }

    private static byte[] Blob((ulong Method, uint ILOffset, uint Child, uint Sibling)[] nodes, (uint ILOffset, uint Node, uint NativeOffset)[] mappings)
    {
        var blob = new byte[8 + nodes.Length * 20 + mappings.Length * 13];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)nodes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)mappings.Length);
        var offset = 8;
        foreach (var node in nodes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(offset), node.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 8), node.ILOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 12), node.Child);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 16), node.Sibling);
            offset += 20;
        }

        foreach (var mapping in mappings)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset), mapping.ILOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 4), mapping.Node);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 8), mapping.NativeOffset);
            blob[offset + 12] = 2; // stack empty
            offset += 13;
        }

        return blob;
    }

    private static byte[] CountsTooLarge()
    {
        var blob = Blob([(RunMethod, uint.MaxValue, 1, 0), (0xA, 0, 0, 0)], [(0, 1, 0)]);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), uint.MaxValue);
        return blob;
    }

    private static byte[] Chunk(ulong methodId, int index, bool last, ReadOnlySpan<byte> data)
    {
        var payload = new byte[34 + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(2), methodId);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(26), (uint)index | (last ? 0x80000000 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(30), (uint)data.Length);
        data.CopyTo(payload.AsSpan(34));
        return payload;
    }

    private static byte[] MethodLoad(ulong methodId, ulong moduleId, ulong start, uint size)
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(methodId));
        payload.AddRange(BitConverter.GetBytes(moduleId));
        payload.AddRange(BitConverter.GetBytes(start));
        payload.AddRange(BitConverter.GetBytes(size));
        payload.AddRange(BitConverter.GetBytes(0x06000001u)); // token
        payload.AddRange(BitConverter.GetBytes(0u)); // flags
        foreach (var text in new[] { "InliningLibrary.InlinedAllocations", "Run", "int64 (int32)" }) payload.AddRange(Encoding.Unicode.GetBytes(text + "\0"));
        return payload.ToArray();
    }

    private static byte[] ModuleLoad(ulong moduleId, string path)
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(moduleId));
        payload.AddRange(new byte[8 + 4 + 4]); // AssemblyID, ModuleFlags, Reserved1
        payload.AddRange(Encoding.Unicode.GetBytes(path + "\0"));
        payload.AddRange(Encoding.Unicode.GetBytes(path + "\0"));
        payload.AddRange(new byte[2 + 16 + 4]); // ClrInstanceID, ManagedPdbSignature, ManagedPdbAge
        payload.AddRange(Encoding.Unicode.GetBytes("\0"));
        return payload.ToArray();
    }

    private static byte[] MethodDetails(ulong methodId, uint token, ulong loaderModuleId)
    {
        var payload = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, methodId);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8), 0x1234); // TypeID
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(16), token);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(24), loaderModuleId);
        return payload;
    }

    private static void Feed(SourceLineMap lines, EventMetadata metadata, byte[] payload) =>
        Assert.True(lines.TryAdd(new TraceEventRecord(metadata, 8, 1, 0, default, payload)));

    /// <summary>InliningLibrary (built beside the tests for AllocatingApp) and the token of its NewBuffer.</summary>
    private static uint NewBufferToken(out string libraryPath)
    {
        libraryPath = Path.Combine(AppContext.BaseDirectory, "InliningLibrary.dll");
        var method = Assembly.LoadFrom(libraryPath).GetType("InliningLibrary.InlinedAllocations")!
            .GetMethod("NewBuffer", BindingFlags.NonPublic | BindingFlags.Static)!;
        return (uint)method.MetadataToken;
    }

    private static int LineOf(string file, string text) => Array.FindIndex(File.ReadAllLines(file), line => line.Trim() == text) + 1;
}
