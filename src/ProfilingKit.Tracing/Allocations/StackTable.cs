using System.Runtime.InteropServices;

namespace ProfilingKit.Allocations;

/// <summary>
/// Interns call stacks (instruction pointers, leaf first) as paths of a trie rooted at the thread's
/// first frame, so the callers that many stacks share are stored once, and numbers each distinct
/// stack densely from 0. A stack deeper than <see cref="MaxDepth"/> keeps its leaf end under a
/// <see cref="TruncatedFrame"/> root, as Go keeps the leaf end of its 128 frames. Not thread-safe.
/// </summary>
internal sealed class StackTable
{
    /// <summary>The frames kept of a stack, from the leaf: Go's default (<c>debug.profstackdepth</c>).</summary>
    public const int MaxDepth = 128;

    /// <summary>The root frame of a stack that was cut to its <see cref="MaxDepth"/> leaf frames.</summary>
    public const ulong TruncatedFrame = ulong.MaxValue;

    /// <summary>The one frame of the stack that stands for stacks merged away to bound memory.</summary>
    public const ulong OtherStacksFrame = ulong.MaxValue - 1;

    /// <summary>The name pprof shows for <paramref name="address"/> when it is one of the table's own frames, else null.</summary>
    public static string? MarkerName(ulong address) => address switch
    {
        TruncatedFrame => "[truncated]",
        OtherStacksFrame => "[other stacks]",
        _ => null,
    };

    /// <summary>What one trie node costs: its 16-byte entry, and its child-index entry (hash, chain, 16-byte key, value) and bucket.</summary>
    public const int BytesPerNode = 16 + 32 + 4;

    private const int Root = 0;

    private readonly List<Node> _nodes = [new Node(Parent: -1, Stack: -1, Address: 0)];
    private readonly Dictionary<Edge, int> _children = new();
    private readonly List<int> _leaves = new();

    /// <summary>The number of distinct stacks.</summary>
    public int Count => _leaves.Count;

    /// <summary>The trie's nodes: distinct (caller path, frame) pairs, what its memory grows with.</summary>
    public int NodeCount => _nodes.Count - 1;

    /// <summary>The memory the table holds, from the capacities of its collections (what they hold, slack included).</summary>
    public long ApproximateBytes => (long)_nodes.Capacity * 16 + (long)_children.Capacity * (32 + 4) + (long)_leaves.Capacity * sizeof(int);

    /// <summary>How many of the stacks interned were cut to <see cref="MaxDepth"/> frames, repeats included.</summary>
    public long TruncatedCount { get; private set; }

    /// <summary>The number of <paramref name="stack"/>, adding it if new; allocates only when the trie grows.</summary>
    public int Intern(ReadOnlySpan<ulong> stack)
    {
        var node = Root;
        if (stack.Length > MaxDepth)
        {
            stack = stack[..MaxDepth];
            node = Child(node, TruncatedFrame);
            TruncatedCount++;
        }

        for (var i = stack.Length - 1; i >= 0; i--)
        {
            node = Child(node, stack[i]);
        }

        ref var entry = ref CollectionsMarshal.AsSpan(_nodes)[node];
        if (entry.Stack < 0)
        {
            entry = entry with { Stack = _leaves.Count };
            _leaves.Add(node);
        }

        return entry.Stack;
    }

    /// <summary>The frames of stack <paramref name="index"/>, leaf first, as <see cref="Intern"/> kept them.</summary>
    public ulong[] this[int index]
    {
        get
        {
            var leaf = _leaves[index];
            var depth = 0;
            for (var node = leaf; node != Root; node = _nodes[node].Parent) depth++;

            var stack = new ulong[depth];
            var i = 0;
            for (var node = leaf; node != Root; node = _nodes[node].Parent) stack[i++] = _nodes[node].Address;
            return stack;
        }
    }

    /// <summary>Adds the code id of every <see cref="Symbols.CodeFrames"/> frame the table holds to <paramref name="ids"/>.</summary>
    public void AddCodeIds(ISet<int> ids)
    {
        foreach (var node in _nodes)
        {
            if (Symbols.CodeFrames.TryDecode(node.Address, out var id, out _)) ids.Add(id);
        }
    }

    private int Child(int parent, ulong address)
    {
        ref var child = ref CollectionsMarshal.GetValueRefOrAddDefault(_children, new Edge(parent, address), out var exists);
        if (!exists)
        {
            child = _nodes.Count;
            _nodes.Add(new Node(parent, Stack: -1, address));
        }

        return child;
    }

    private readonly record struct Node(int Parent, int Stack, ulong Address);

    /// <summary>
    /// A child's key: its parent node and its frame. Its own hash, because the tuple's combined the two
    /// fields slowly enough to make interning a 30-frame stack 4 µs where it now takes under 1 µs.
    /// </summary>
    private readonly struct Edge(int parent, ulong address) : IEquatable<Edge>
    {
        private readonly ulong _address = address;
        private readonly int _parent = parent;

        public bool Equals(Edge other) => _address == other._address && _parent == other._parent;

        public override bool Equals(object? obj) => obj is Edge other && Equals(other);

        public override int GetHashCode() => (int)(((_address * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)_parent * 0xC2B2AE3D27D4EB4FUL)) >> 32);
    }
}
