namespace ProfilingKit.Bench.HeapPause;

/// <summary>
/// How the live heap is made up: the snapshot's pause grows with the number of objects (each is
/// marked and listed in an event), so the same bytes in many small objects cost more than in few arrays.
/// </summary>
internal sealed record HeapShape(string Name, Func<int, object> Build)
{
    /// <summary>64-byte objects linked in lists: about 3.3 million for 200 MB.</summary>
    public static readonly HeapShape SmallObjects = new("small objects", megabytes =>
    {
        var count = megabytes * 1024L * 1024 / 64;
        var heads = new SmallNode?[1024];
        for (var i = 0L; i < count; i++)
        {
            var slot = (int)(i % heads.Length);
            heads[slot] = new SmallNode { Next = heads[slot], Value = i, Padding = (i, i, i, i) };
        }

        return heads;
    });

    /// <summary>64 KB byte arrays: about 3,200 for 200 MB.</summary>
    public static readonly HeapShape Arrays = new("64 KB arrays", megabytes =>
    {
        var list = new List<byte[]>();
        for (var i = 0; i < megabytes * 16; i++) list.Add(new byte[64 * 1024 - 24]);
        return list;
    });

    public static HeapShape Parse(string name) => name switch
    {
        "small" => SmallObjects,
        "arrays" => Arrays,
        _ => throw new ArgumentException($"unknown shape '{name}'; expected small or arrays"),
    };

    /// <summary>16 bytes of object header and method table, then 48 bytes of fields.</summary>
    private sealed class SmallNode
    {
        public SmallNode? Next;
        public long Value;
        public (long, long, long, long) Padding;
    }
}
