using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Heap;

/// <summary>
/// The runtime events of a gcdump-style heap snapshot (the keywords dotnet-gcdump asks for) and their payloads,
/// as ClrEtwAll.man defines them. Kept beside the heap code: nothing else reads them.
/// </summary>
internal static class HeapSnapshotEvents
{
    /// <summary>
    /// GC | Type | GCHeapDump | GCHeapCollect | GCHeapAndTypeNames, what dotnet-gcdump asks for.
    /// GCHeapCollect makes the runtime run a blocking gen2 GC that walks the heap as soon as a
    /// session turns it on.
    /// </summary>
    public const long SnapshotKeywords = 0x1 | 0x80000 | 0x100000 | 0x800000 | 0x1000000;

    /// <summary>GCStart's Type for a background GC, which walks nothing.</summary>
    public const int BackgroundGcType = 1;

    /// <summary>GCStart_V1/V2 and GCEnd_V1 begin with Count (u32) and Depth (u32); GCStart goes on with Reason and Type.</summary>
    public static bool TryReadGc(ReadOnlySpan<byte> payload, out int count, out int depth, out int type)
    {
        count = depth = type = 0;
        if (payload.Length < 8) return false;

        count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        depth = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(4));
        if (payload.Length >= 16) type = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(12));
        return true;
    }

    /// <summary>GCBulkNode's Index: the event's place in the walk, from 0, so a gap means lost events.</summary>
    public static bool TryReadBulkIndex(ReadOnlySpan<byte> payload, out int index)
    {
        index = payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
        return payload.Length >= 4;
    }

    /// <summary>
    /// GCBulkNode: Index (u32), Count (u32), ClrInstanceID (u16), then Count values of Address
    /// (pointer), Size (u64), TypeID (u64), EdgeCount (u64).
    /// </summary>
    public static int ReadBulkNodes(ReadOnlySpan<byte> payload, int pointerSize, Action<ulong, long> onObject)
    {
        const int Header = 10;
        if (payload.Length < Header) return 0;

        var count = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(4));
        var stride = pointerSize + 24;
        var read = 0;
        for (var offset = Header; read < count && offset + stride <= payload.Length; offset += stride, read++)
        {
            var size = BinaryPrimitives.ReadInt64LittleEndian(payload.Slice(offset + pointerSize));
            var typeId = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(offset + pointerSize + 8));
            onObject(typeId, size);
        }

        return read;
    }

    /// <summary>
    /// BulkType: Count (u32), ClrInstanceID (u16), then Count values of TypeID (u64), ModuleID
    /// (u64), TypeNameID (u32), Flags (u32), CorElementType (u8), Name (UTF-16, NUL-terminated),
    /// TypeParameterCount (u32) and that many TypeParameters (u64).
    /// </summary>
    public static void ReadBulkTypes(ReadOnlySpan<byte> payload, BulkTypeVisitor onType)
    {
        if (payload.Length < 6) return;

        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var offset = 6;
        for (var i = 0; i < count; i++)
        {
            if (offset + 25 > payload.Length) return;

            var typeId = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(offset));
            var elementType = payload[offset + 24];
            offset += 25;

            var chars = MemoryMarshal.Cast<byte, char>(payload.Slice(offset, (payload.Length - offset) & ~1));
            var length = chars.IndexOf('\0');
            if (length < 0) return;

            var name = chars.Slice(0, length);
            offset += (length + 1) * 2;
            if (offset + 4 > payload.Length) return;

            var parameterCount = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(offset));
            offset += 4;
            var firstParameter = parameterCount > 0 && offset + 8 <= payload.Length
                ? BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(offset))
                : 0;
            offset += 8 * parameterCount;
            onType(typeId, elementType, name, firstParameter);
        }
    }

    /// <summary>Receives one BulkType value; <paramref name="firstTypeParameter"/> is an array's element type.</summary>
    public delegate void BulkTypeVisitor(ulong typeId, byte corElementType, ReadOnlySpan<char> name, ulong firstTypeParameter);
}
