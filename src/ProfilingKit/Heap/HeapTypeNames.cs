namespace ProfilingKit.Heap;

/// <summary>
/// The names of types seen in heap snapshots, by TypeID (MethodTable address), kept across
/// snapshots: the runtime remembers which types it has already described in BulkType events and
/// does not describe them again to a later session, so only the first snapshot names them all.
/// </summary>
internal sealed class HeapTypeNames
{
    private const byte SzArray = 0x1D;

    private readonly Dictionary<ulong, TypeDescription> _types = new();

    public void Add(ulong typeId, byte corElementType, ReadOnlySpan<char> name, ulong firstTypeParameter)
    {
        if (!_types.ContainsKey(typeId)) _types[typeId] = new TypeDescription(name.ToString(), corElementType, firstTypeParameter);
    }

    /// <summary>
    /// The type's name as C# and pprof users read it. Single-dimension arrays (ELEMENT_TYPE_SZARRAY)
    /// are named from their element type when the runtime gives the array no name of its own.
    /// A type never described is named by its id rather than guessed.
    /// </summary>
    public string NameOf(ulong typeId, int depth = 0)
    {
        if (!_types.TryGetValue(typeId, out var type)) return $"[type 0x{typeId:x}]";
        if (type.CorElementType == SzArray && !type.Name.EndsWith(']') && depth < 8 && type.FirstTypeParameter != 0)
        {
            return NameOf(type.FirstTypeParameter, depth + 1) + "[]";
        }

        return type.Name.Length > 0 ? type.Name : $"[type 0x{typeId:x}]";
    }

    private readonly record struct TypeDescription(string Name, byte CorElementType, ulong FirstTypeParameter);
}
