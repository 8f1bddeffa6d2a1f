using ProfilingKit.Allocations;

namespace ProfilingKit.Threads;

/// <summary>Counts occurrences of stacks: the entries of Go's count profiles (goroutine, threadcreate). Not thread-safe.</summary>
internal sealed class StackCounter
{
    private readonly StackTable _stacks = new();
    private readonly List<long> _counts = new();

    /// <summary>The number of stacks added, repeats included.</summary>
    public long Total { get; private set; }

    /// <summary>Distinct stacks with their counts, most frequent first.</summary>
    public static IReadOnlyList<(ulong[] Stack, long Count)> Of(IEnumerable<ulong[]> stacks)
    {
        var counter = new StackCounter();
        foreach (var stack in stacks)
        {
            counter.Add(stack);
        }

        return counter.Entries();
    }

    public void Add(ReadOnlySpan<ulong> stack)
    {
        var index = _stacks.Intern(stack);
        if (index == _counts.Count) _counts.Add(0);
        _counts[index]++;
        Total++;
    }

    /// <summary>Distinct stacks with their counts, most frequent first.</summary>
    public IReadOnlyList<(ulong[] Stack, long Count)> Entries() =>
        Enumerable.Range(0, _counts.Count)
            .Select(index => (_stacks[index], _counts[index]))
            .OrderByDescending(entry => entry.Item2)
            .ToList();
}
