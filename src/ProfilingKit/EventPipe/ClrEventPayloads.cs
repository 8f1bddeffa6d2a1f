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
    public static bool TryReadMethod(ReadOnlySpan<byte> payload, out ulong start, out uint size, out ReadOnlySpan<char> typeName, out ReadOnlySpan<char> methodName)
    {
        typeName = methodName = default;
        start = 0;
        size = 0;
        if (payload.Length < 36) return false;

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
    public static bool TryReadAllocationSampled(ReadOnlySpan<byte> payload, int pointerSize, out ReadOnlySpan<char> typeName, out long objectSize)
    {
        objectSize = 0;
        var offset = 6 + pointerSize;
        if (!TryReadUtf16(payload, ref offset, out typeName)) return false;

        offset += pointerSize;
        if (payload.Length < offset + 8) return false;
        objectSize = BinaryPrimitives.ReadInt64LittleEndian(payload.Slice(offset));
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
