using System.Buffers.Binary;
using System.Text;
using ProfilingKit.Heap;

namespace ProfilingKit.Tests;

/// <summary>The heap-walk payloads, laid out as ClrEtwAll.man's GCBulkNode and BulkType templates define them.</summary>
public class HeapSnapshotEventsTests
{
    [Fact]
    public void Bulk_nodes_give_each_objects_type_and_size()
    {
        var payload = new byte[10 + 2 * 32];
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), 2); // Count
        WriteNode(payload.AsSpan(10), address: 0x1000, size: 24, typeId: 0xAA);
        WriteNode(payload.AsSpan(42), address: 0x2000, size: 65_560, typeId: 0xBB);

        var objects = new List<(ulong, long)>();
        var read = HeapSnapshotEvents.ReadBulkNodes(payload, pointerSize: 8, (type, size) => objects.Add((type, size)));

        Assert.Equal(2, read);
        Assert.Equal([(0xAAUL, 24L), (0xBBUL, 65_560L)], objects);
    }

    [Fact]
    public void Bulk_types_give_names_element_types_and_skip_type_parameters()
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(2)); // Count
        payload.AddRange(BitConverter.GetBytes((ushort)0));
        AddType(payload, typeId: 0x10, elementType: 0x1D, name: "", parameters: [0x20]);
        AddType(payload, typeId: 0x20, elementType: 0x11, name: "App.Record", parameters: []);

        var types = new List<(ulong, byte, string, ulong)>();
        HeapSnapshotEvents.ReadBulkTypes(payload.ToArray(), (id, element, name, parameter) => types.Add((id, element, name.ToString(), parameter)));

        Assert.Equal([(0x10UL, (byte)0x1D, "", 0x20UL), (0x20UL, (byte)0x11, "App.Record", 0UL)], types);
    }

    private static void WriteNode(Span<byte> span, ulong address, long size, ulong typeId)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(span, address);
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(8), size);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(16), typeId);
        BinaryPrimitives.WriteUInt64LittleEndian(span.Slice(24), 0); // EdgeCount
    }

    private static void AddType(List<byte> payload, ulong typeId, byte elementType, string name, ulong[] parameters)
    {
        payload.AddRange(BitConverter.GetBytes(typeId));
        payload.AddRange(BitConverter.GetBytes(0UL)); // ModuleID
        payload.AddRange(BitConverter.GetBytes(0u));  // TypeNameID
        payload.AddRange(BitConverter.GetBytes(0u));  // Flags
        payload.Add(elementType);
        payload.AddRange(Encoding.Unicode.GetBytes(name + "\0"));
        payload.AddRange(BitConverter.GetBytes(parameters.Length));
        foreach (var parameter in parameters) payload.AddRange(BitConverter.GetBytes(parameter));
    }
}
