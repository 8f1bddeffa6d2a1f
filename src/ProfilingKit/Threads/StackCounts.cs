using ProfilingKit.Allocations;

namespace ProfilingKit.Threads;

/// <summary>Distinct stacks with how many times each occurs, most frequent first: the entries of Go's count profiles.</summary>
internal static class StackCounts
{
    public static IReadOnlyList<(ulong[] Stack, long Count)> Of(IEnumerable<ulong[]> stacks)
    {
        var table = new StackTable();
        var counts = new List<long>();
        foreach (var stack in stacks)
        {
            var index = table.Intern(stack);
            if (index == counts.Count) counts.Add(0);
            counts[index]++;
        }

        return Enumerable.Range(0, counts.Count)
            .Select(index => (table[index], counts[index]))
            .OrderByDescending(entry => entry.Item2)
            .ToList();
    }
}
