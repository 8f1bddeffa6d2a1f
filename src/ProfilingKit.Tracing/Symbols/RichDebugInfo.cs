using System.Buffers.Binary;

namespace ProfilingKit.Symbols;

/// <summary>
/// The JIT's rich debug info for one body of code, as a MethodRichDebugInfo event carries it: an
/// inline tree (node 0 is the method itself) and IL-to-native mappings that name the tree node each
/// IL offset belongs to. Answers which inlined calls the code at a native offset runs.
/// </summary>
/// <remarks>
/// Blob layout (dotnet/runtime eventtrace.cpp, SendMethodRichDebugInfo; cordebuginfo.h): node count
/// and mapping count (u32 each); per node the inlinee's MethodID (u64), the IL offset in its parent
/// that led to the inline, its first child and its next sibling (u32 node indices, 0 for none); per
/// mapping the IL offset in its node's method, the node index and the native offset (u32 each) and
/// a source-type byte. The nodes' call-site IL offsets are not used: .NET 10 reports garbage there
/// for some nodes (seen in real runs), so a caller's IL offset comes from its own mappings.
/// </remarks>
internal sealed class RichDebugInfo
{
    private const int NodeSize = 8 + 4 + 4 + 4;
    private const int MappingSize = 4 + 4 + 4 + 1;

    /// <summary>IL offsets from here up are the runtime's markers: no mapping, prolog, epilog.</summary>
    private const uint FirstMarker = 0xFFFFFFFD;

    private readonly ulong[] _methodIds;
    private readonly int[] _parents;
    private readonly uint[] _nativeOffsets;
    private readonly int[] _mappingNodes;
    private readonly uint[] _ilOffsets;

    private RichDebugInfo(ulong[] methodIds, int[] parents, uint[] nativeOffsets, int[] mappingNodes, uint[] ilOffsets)
    {
        _methodIds = methodIds;
        _parents = parents;
        _nativeOffsets = nativeOffsets;
        _mappingNodes = mappingNodes;
        _ilOffsets = ilOffsets;
    }

    /// <summary>
    /// Reads a blob. Null when it is malformed (counts beyond its length, a node index out of range,
    /// a node with two parents) and when no mapping is in inlined code, so there is nothing to keep.
    /// </summary>
    public static RichDebugInfo? TryParse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 8) return null;
        var nodeCount = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        var mappingCount = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(4));
        if (nodeCount < 2 || 8L + nodeCount * NodeSize + (long)mappingCount * MappingSize > blob.Length) return null;

        var methodIds = new ulong[nodeCount];
        var children = new uint[nodeCount];
        var siblings = new uint[nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            var node = blob.Slice(8 + i * NodeSize, NodeSize);
            methodIds[i] = BinaryPrimitives.ReadUInt64LittleEndian(node);
            children[i] = BinaryPrimitives.ReadUInt32LittleEndian(node.Slice(12));
            siblings[i] = BinaryPrimitives.ReadUInt32LittleEndian(node.Slice(16));
        }

        var parents = ParentsOf(children, siblings);
        if (parents is null) return null;

        var mappings = blob.Slice(8 + (int)nodeCount * NodeSize);
        var order = new long[mappingCount];
        var nativeOffsets = new uint[mappingCount];
        var mappingNodes = new int[mappingCount];
        var ilOffsets = new uint[mappingCount];
        for (var i = 0; i < mappingCount; i++)
        {
            var mapping = mappings.Slice(i * MappingSize, MappingSize);
            var node = BinaryPrimitives.ReadUInt32LittleEndian(mapping.Slice(4));
            if (node >= nodeCount) return null;

            ilOffsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(mapping);
            mappingNodes[i] = (int)node;
            nativeOffsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(mapping.Slice(8));
            order[i] = ((long)nativeOffsets[i] << 32) | (uint)i; // by native offset, ties in blob order
        }

        Array.Sort(order);

        // Only inlinees' mappings and the method's own first one after each run of them matter to a
        // lookup; dropping the rest keeps a fraction of the blob per method.
        var kept = new List<int>();
        var previousNode = -1;
        foreach (var key in order)
        {
            var index = (int)(uint)key;
            if (mappingNodes[index] != 0 || previousNode != 0) kept.Add(index);
            previousNode = mappingNodes[index];
        }

        if (!kept.Exists(index => mappingNodes[index] != 0)) return null; // inlined code with no mapping of its own

        return new RichDebugInfo(
            methodIds,
            parents,
            kept.ConvertAll(index => nativeOffsets[index]).ToArray(),
            kept.ConvertAll(index => mappingNodes[index]).ToArray(),
            kept.ConvertAll(index => ilOffsets[index]).ToArray());
    }

    /// <summary>The mapping entries kept for lookups (for the memory budget).</summary>
    public int MappingCount => _nativeOffsets.Length;

    /// <summary>
    /// Adds to <paramref name="calls"/> the inlined calls the code at <paramref name="nativeOffset"/>
    /// runs, innermost first; adds nothing when that code is the method's own. The innermost call's
    /// IL offset is the mapping's; each caller's is that of its own last mapping at or before the
    /// offset, or -1.
    /// </summary>
    public void AddInlinedCallsAt(uint nativeOffset, List<InlinedCall> calls)
    {
        var index = LastMappingAtOrBefore(nativeOffset);
        if (index < 0 || _ilOffsets[index] >= FirstMarker) return;

        var node = _mappingNodes[index];
        if (node == 0) return;

        var first = calls.Count;
        calls.Add(new InlinedCall(_methodIds[node], (int)_ilOffsets[index]));
        var caller = _parents[node];
        for (; caller > 0; caller = _parents[caller])
        {
            calls.Add(new InlinedCall(_methodIds[caller], LastILOffsetOf(caller, index)));
        }

        // A chain that ends at an unlinked node instead of the method itself cannot be trusted.
        if (caller < 0) calls.RemoveRange(first, calls.Count - first);
    }

    private int LastMappingAtOrBefore(uint nativeOffset)
    {
        int low = 0, high = _nativeOffsets.Length - 1, found = -1;
        while (low <= high)
        {
            var mid = low + ((high - low) >> 1);
            if (_nativeOffsets[mid] <= nativeOffset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }

    private int LastILOffsetOf(int node, int fromMapping)
    {
        for (var i = fromMapping; i >= 0; i--)
        {
            if (_mappingNodes[i] == node && _ilOffsets[i] < FirstMarker) return (int)_ilOffsets[i];
        }

        return -1;
    }

    /// <summary>Each node's parent from the child and sibling links (-1 for the root and unlinked nodes); null when the links do not form a tree.</summary>
    private static int[]? ParentsOf(uint[] children, uint[] siblings)
    {
        var parents = new int[children.Length];
        Array.Fill(parents, -1);
        var linked = 0;
        for (var parent = 0; parent < children.Length; parent++)
        {
            for (var child = children[parent]; child != 0; child = siblings[child])
            {
                // Node 0 is the root, so no link may lead to it; a node linked twice would make a cycle.
                if (child >= children.Length || parents[child] >= 0 || ++linked >= children.Length) return null;
                parents[child] = parent;
            }
        }

        // Every linked node must lead up to the root; links that loop among themselves do not.
        for (var node = 1; node < parents.Length; node++)
        {
            var steps = 0;
            for (var up = parents[node]; up > 0; up = parents[up])
            {
                if (++steps >= parents.Length) return null;
            }
        }

        return parents;
    }
}
