using ProfilingKit.Heap;

namespace ProfilingKit.Tests;

/// <summary>The heap-walk payloads, laid out as ClrEtwAll.man's GCBulkNode and BulkType templates define them.</summary>
public class HeapSnapshotEventsTests
{
    [Fact]
    public void Bulk_nodes_give_each_objects_type_and_size()
    {
        var payload = HeapEventPayloads.Nodes(0, (0xAA, 24), (0xBB, 65_560));

        var objects = new List<(ulong, long)>();
        var read = HeapSnapshotEvents.ReadBulkNodes(payload, pointerSize: 8, (type, size) => objects.Add((type, size)));

        Assert.Equal(2, read);
        Assert.Equal([(0xAAUL, 24L), (0xBBUL, 65_560L)], objects);
    }

    [Fact]
    public void Bulk_types_give_names_element_types_and_skip_type_parameters()
    {
        var payload = HeapEventPayloads.Types((0x10, 0x1D, "", 0x20), (0x20, 0x11, "App.Record", 0));

        var types = new List<(ulong, byte, string, ulong)>();
        HeapSnapshotEvents.ReadBulkTypes(payload, (id, element, name, parameter) => types.Add((id, element, name.ToString(), parameter)));

        Assert.Equal([(0x10UL, (byte)0x1D, "", 0x20UL), (0x20UL, (byte)0x11, "App.Record", 0UL)], types);
    }
}
