using System.Buffers.Binary;
using System.Text;

namespace ProfilingKit.Tests;

/// <summary>Payloads of the heap-walk events laid out as ClrEtwAll.man defines them (64-bit pointers).</summary>
internal static class HeapEventPayloads
{
    /// <summary>GCStart_V2 / GCEnd_V1: Count, Depth, Reason, Type (u32 each).</summary>
    public static byte[] Gc(int count, int depth, int type)
    {
        var payload = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, count);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), depth);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(12), type);
        return payload;
    }

    /// <summary>GCBulkNode: Index, Count, ClrInstanceID, then Address, Size, TypeID, EdgeCount per object.</summary>
    public static byte[] Nodes(int index, params (ulong Type, long Size)[] objects)
    {
        var payload = new byte[10 + 32 * objects.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, index);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), objects.Length);
        for (var i = 0; i < objects.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(10 + 32 * i + 8), objects[i].Size);
            BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(10 + 32 * i + 16), objects[i].Type);
        }

        return payload;
    }

    /// <summary>BulkType: Count, ClrInstanceID, then each type with at most one type parameter.</summary>
    public static byte[] Types(params (ulong Id, byte ElementType, string Name, ulong Parameter)[] types)
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(types.Length));
        payload.AddRange(BitConverter.GetBytes((ushort)0));
        foreach (var (id, elementType, name, parameter) in types)
        {
            payload.AddRange(BitConverter.GetBytes(id));
            payload.AddRange(new byte[16]); // ModuleID, TypeNameID, Flags
            payload.Add(elementType);
            payload.AddRange(Encoding.Unicode.GetBytes(name + "\0"));
            payload.AddRange(BitConverter.GetBytes(parameter == 0 ? 0 : 1));
            if (parameter != 0) payload.AddRange(BitConverter.GetBytes(parameter));
        }

        return payload.ToArray();
    }
}
