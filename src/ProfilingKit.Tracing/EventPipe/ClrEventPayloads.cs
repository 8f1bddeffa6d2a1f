using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ProfilingKit.EventPipe;

/// <summary>Decodes the payloads of the runtime events ProfilingKit uses, without allocating.</summary>
internal static class ClrEventPayloads
{
    /// <summary>
    /// MethodLoadVerbose / MethodDC*Verbose: MethodID, ModuleID, MethodStartAddress (u64 each),
    /// MethodSize, MethodToken, MethodFlags (u32 each), then MethodNamespace, MethodName and
    /// MethodSignature as NUL-terminated UTF-16.
    /// </summary>
    public static bool TryReadMethod(ReadOnlySpan<byte> payload, out ulong start, out uint size, out ReadOnlySpan<char> typeName, out ReadOnlySpan<char> methodName) =>
        TryReadMethod(payload, out _, out start, out size, out typeName, out methodName);

    /// <summary>As the overload without <paramref name="identity"/>, plus the ids that tie the code to its IL map and its module's PDB.</summary>
    public static bool TryReadMethod(ReadOnlySpan<byte> payload, out MethodIdentity identity, out ulong start, out uint size, out ReadOnlySpan<char> typeName, out ReadOnlySpan<char> methodName)
    {
        typeName = methodName = default;
        identity = default;
        start = 0;
        size = 0;
        if (payload.Length < 36) return false;

        identity = new MethodIdentity(
            BinaryPrimitives.ReadUInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(28)));
        start = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(16));
        size = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(24));
        var offset = 36;
        return TryReadUtf16(payload, ref offset, out typeName) && TryReadUtf16(payload, ref offset, out methodName);
    }

    /// <summary>
    /// AllocationSampled (event 303, v0) as observed on .NET 10: AllocationKind (u32), ClrInstanceID
    /// (u16), TypeID (pointer), TypeName (UTF-16), Address (pointer), ObjectSize (u64),
    /// SampledByteOffset (u64).
    /// </summary>
    public static bool TryReadAllocationSampled(ReadOnlySpan<byte> payload, int pointerSize, out ReadOnlySpan<char> typeName, out long objectSize) =>
        TryReadAllocationSampled(payload, pointerSize, out typeName, out objectSize, out _);

    /// <summary>As the overload without <paramref name="address"/>, plus where the sampled object was allocated.</summary>
    public static bool TryReadAllocationSampled(ReadOnlySpan<byte> payload, int pointerSize, out ReadOnlySpan<char> typeName, out long objectSize, out ulong address)
    {
        objectSize = 0;
        address = 0;
        var offset = 6 + pointerSize;
        if (!TryReadUtf16(payload, ref offset, out typeName)) return false;
        if (payload.Length < offset + pointerSize + 8) return false;

        address = ReadPointer(payload.Slice(offset), pointerSize);
        objectSize = BinaryPrimitives.ReadInt64LittleEndian(payload.Slice(offset + pointerSize));
        return true;
    }

    /// <summary>GCStart (v1, v2): Count, Depth, Reason, Type (u32 each), ...; Type 1 is a background GC.</summary>
    public static bool TryReadGcStart(ReadOnlySpan<byte> payload, out long number, out int depth, out bool background)
    {
        number = 0;
        depth = 0;
        background = false;
        if (payload.Length < 16) return false;

        number = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        depth = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(4));
        background = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(12)) == 1;
        return true;
    }

    /// <summary>GCEnd (v1): Count, Depth (u32 each), ClrInstanceID.</summary>
    public static bool TryReadGcEnd(ReadOnlySpan<byte> payload, out long number)
    {
        number = payload.Length < 4 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return payload.Length >= 4;
    }

    /// <summary>GCGenerationRange: Generation (u8), RangeStart (pointer), RangeUsedLength, RangeReservedLength (u64), ClrInstanceID (u16).</summary>
    public static bool TryReadGenerationRange(ReadOnlySpan<byte> payload, int pointerSize, out int generation, out ulong start, out ulong usedLength)
    {
        generation = 0;
        start = usedLength = 0;
        if (payload.Length < 1 + pointerSize + 8) return false;

        generation = payload[0];
        start = ReadPointer(payload.Slice(1), pointerSize);
        usedLength = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(1 + pointerSize));
        return true;
    }

    /// <summary>
    /// GCBulkSurvivingObjectRanges (<paramref name="moved"/> false): Index, Count (u32), ClrInstanceID (u16), then
    /// Count of RangeBase (pointer), RangeLength (u64). GCBulkMovedObjectRanges (true): the same with
    /// OldRangeBase, NewRangeBase (pointers), RangeLength (u64). Surviving ranges are read with new = old.
    /// </summary>
    public static void ReadObjectRanges(ReadOnlySpan<byte> payload, int pointerSize, bool moved, List<(ulong Old, ulong New, ulong Length)> into)
    {
        if (payload.Length < 10) return;

        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(4));
        var size = (moved ? 2 * pointerSize : pointerSize) + 8;
        for (var (offset, read) = (10, 0); read < count && offset + size <= payload.Length; offset += size, read++)
        {
            var old = ReadPointer(payload.Slice(offset), pointerSize);
            var moving = moved ? ReadPointer(payload.Slice(offset + pointerSize), pointerSize) : old;
            into.Add((old, moving, BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(offset + size - 8))));
        }
    }

    /// <summary>
    /// MethodILToNativeMap / MethodDC*ILToNativeMap: MethodID, ReJITID (u64 each), MethodExtent (u8),
    /// CountOfMapEntries (u16), then that many IL offsets and as many native offsets (u32 each).
    /// IL offsets above int.MaxValue are the runtime's markers: no mapping, prolog, epilog.
    /// </summary>
    public static bool TryReadILToNativeMap(ReadOnlySpan<byte> payload, out ulong methodId, out uint[] ilOffsets, out uint[] nativeOffsets)
    {
        methodId = 0;
        ilOffsets = nativeOffsets = [];
        const int EntriesOffset = 8 + 8 + 1 + 2;
        if (payload.Length < EntriesOffset) return false;

        methodId = BinaryPrimitives.ReadUInt64LittleEndian(payload);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload.Slice(17));
        if (payload.Length < EntriesOffset + count * 8) return false;

        ilOffsets = new uint[count];
        nativeOffsets = new uint[count];
        for (var i = 0; i < count; i++)
        {
            ilOffsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(EntriesOffset + i * 4));
            nativeOffsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(EntriesOffset + count * 4 + i * 4));
        }

        return true;
    }

    /// <summary>
    /// MethodRichDebugInfo (private provider, event 189, v0) as observed on .NET 10: ClrInstanceID
    /// (u16), MethodID, NativeCodeID, ILCodeID (u64 each), ChunkIndex (u32, high bit set on the last
    /// chunk), ChunkSize (u32), then ChunkSize bytes of the blob. The runtime splits a blob over
    /// 40,000 bytes into chunks numbered from 0.
    /// </summary>
    public static bool TryReadRichDebugInfoChunk(ReadOnlySpan<byte> payload, out ulong methodId, out int chunkIndex, out bool lastChunk, out ReadOnlySpan<byte> data)
    {
        const int DataOffset = 2 + 8 + 8 + 8 + 4 + 4;
        const uint LastChunkFlag = 0x80000000;
        methodId = 0;
        chunkIndex = 0;
        lastChunk = false;
        data = default;
        if (payload.Length < DataOffset) return false;

        methodId = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(2));
        var chunk = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(26));
        var size = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(30));
        if (size > (uint)(payload.Length - DataOffset)) return false;

        chunkIndex = (int)(chunk & ~LastChunkFlag);
        lastChunk = (chunk & LastChunkFlag) != 0;
        data = payload.Slice(DataOffset, (int)size);
        return true;
    }

    /// <summary>
    /// MethodDetails (event 72): MethodID, TypeID (u64 each), MethodToken, TypeParameterCount (u32
    /// each), LoaderModuleID (u64), then the type parameters.
    /// </summary>
    public static bool TryReadMethodDetails(ReadOnlySpan<byte> payload, out ulong methodId, out uint methodToken, out ulong loaderModuleId)
    {
        methodId = loaderModuleId = 0;
        methodToken = 0;
        if (payload.Length < 32) return false;

        methodId = BinaryPrimitives.ReadUInt64LittleEndian(payload);
        methodToken = BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(16));
        loaderModuleId = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(24));
        return true;
    }

    /// <summary>
    /// ModuleLoad_V2 / ModuleDC*_V2: ModuleID, AssemblyID (u64 each), ModuleFlags, Reserved1 (u32
    /// each), ModuleILPath, ModuleNativePath (UTF-16), ClrInstanceID (u16), ManagedPdbSignature
    /// (GUID), ManagedPdbAge (u32), ManagedPdbBuildPath (UTF-16), then the native PDB's fields.
    /// </summary>
    /// <remarks>
    /// <paramref name="pdbSignature"/> is the GUID of the module's CodeView debug entry, which for a
    /// portable PDB is the first 16 bytes of the PDB's id: the PDB that belongs to the traced code has
    /// it. <see cref="Guid.Empty"/> for V0/V1 events and modules without one.
    /// </remarks>
    public static bool TryReadModule(ReadOnlySpan<byte> payload, out ulong moduleId, out ReadOnlySpan<char> ilPath, out ReadOnlySpan<char> pdbBuildPath, out Guid pdbSignature)
    {
        moduleId = 0;
        ilPath = pdbBuildPath = default;
        pdbSignature = Guid.Empty;
        if (payload.Length < 24) return false;

        moduleId = BinaryPrimitives.ReadUInt64LittleEndian(payload);
        var offset = 24;
        if (!TryReadUtf16(payload, ref offset, out ilPath) || !TryReadUtf16(payload, ref offset, out _)) return false;

        offset += 2;
        if (offset + 16 + 4 > payload.Length) return true; // V0/V1 modules carry no PDB fields
        pdbSignature = new Guid(payload.Slice(offset, 16));
        offset += 16 + 4;
        if (!TryReadUtf16(payload, ref offset, out pdbBuildPath)) pdbBuildPath = default;
        return true;
    }

    /// <summary>
    /// ThreadSample of the SampleProfiler: one u32, 2 (Managed) when the thread was in cooperative
    /// mode, that is running managed code, 1 (External) when it was in preemptive mode (waiting,
    /// sleeping, or in native code), 0 on an error.
    /// </summary>
    public static bool TryReadThreadSample(ReadOnlySpan<byte> payload, out ThreadSampleKind kind)
    {
        kind = ThreadSampleKind.Error;
        if (payload.Length < 4) return false;

        kind = (ThreadSampleKind)BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return true;
    }

    /// <summary>ContentionStart (V0 to V2): the first byte is ContentionFlags, 0 for a managed lock (Monitor, Lock), 1 for a native one.</summary>
    public static bool TryReadContentionStart(ReadOnlySpan<byte> payload, out bool managed)
    {
        managed = payload.Length > 0 && payload[0] == 0;
        return payload.Length > 0;
    }

    /// <summary>ContentionStop_V1 (.NET 8+): flags (u8), ClrInstanceID (u16), DurationNs (double); false for V0, which has no duration.</summary>
    public static bool TryReadContentionDuration(ReadOnlySpan<byte> payload, out double durationNanos)
    {
        durationNanos = 0;
        if (payload.Length < 11) return false;

        durationNanos = BinaryPrimitives.ReadDoubleLittleEndian(payload.Slice(3));
        return true;
    }

    /// <summary>ThreadCreating and ThreadRunning: the runtime's thread object (a pointer) first, then ClrInstanceID.</summary>
    public static bool TryReadThreadObject(ReadOnlySpan<byte> payload, int pointerSize, out ulong threadObject)
    {
        threadObject = 0;
        if (payload.Length < pointerSize) return false;

        threadObject = ReadPointer(payload, pointerSize);
        return true;
    }

    private static ulong ReadPointer(ReadOnlySpan<byte> payload, int pointerSize) =>
        pointerSize == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(payload) : BinaryPrimitives.ReadUInt32LittleEndian(payload);

    private static bool TryReadUtf16(ReadOnlySpan<byte> payload, scoped ref int offset, out ReadOnlySpan<char> text)
    {
        text = default;
        if (offset > payload.Length) return false;

        var chars = MemoryMarshal.Cast<byte, char>(payload.Slice(offset, (payload.Length - offset) & ~1));
        var length = chars.IndexOf('\0');
        if (length < 0) return false;

        text = chars.Slice(0, length);
        offset += (length + 1) * 2;
        return true;
    }
}
