namespace ProfilingKit.Allocations;

/// <summary>Interns call stacks (instruction pointers, leaf first) so each distinct stack is stored once.</summary>
internal sealed class StackTable
{
    private readonly List<ulong[]> _stacks = new();
    private readonly Dictionary<ulong[], int> _index;
    private readonly Dictionary<ulong[], int>.AlternateLookup<ReadOnlySpan<ulong>> _lookup;

    public StackTable()
    {
        _index = new Dictionary<ulong[], int>(StackComparer.Instance);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<ulong>>();
    }

    public int Count => _stacks.Count;

    /// <summary>The index of <paramref name="stack"/>, adding it if new; allocates only for a new stack.</summary>
    public int Intern(ReadOnlySpan<ulong> stack)
    {
        if (_lookup.TryGetValue(stack, out var index)) return index;

        var copy = stack.ToArray();
        index = _stacks.Count;
        _stacks.Add(copy);
        _index.Add(copy, index);
        return index;
    }

    public ulong[] this[int index] => _stacks[index];

    private sealed class StackComparer : IEqualityComparer<ulong[]>, IAlternateEqualityComparer<ReadOnlySpan<ulong>, ulong[]>
    {
        public static readonly StackComparer Instance = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<ulong> alternate, ulong[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<ulong> alternate) => Hash(alternate);

        public ulong[] Create(ReadOnlySpan<ulong> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<ulong> stack)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(stack));
            return hash.ToHashCode();
        }
    }
}
