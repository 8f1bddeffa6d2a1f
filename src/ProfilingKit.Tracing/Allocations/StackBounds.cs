namespace ProfilingKit.Allocations;

/// <summary>
/// What bounding an always-on profile's memory did to its stacks: how many distinct stacks were
/// merged into <c>[other stacks]</c> under a budget of <paramref name="BudgetBytes"/>, and how many
/// stacks were cut to their leaf end, and how many allocation samples were of types first seen once
/// the type table was full, and how many bodies of freed code were forgotten because no kept stack
/// named them (<paramref name="FreedCodeKept"/> are kept for the stacks that do), and how many events
/// of the session the runtime dropped (<paramref name="LostEvents"/>: its buffer was full). The profile's
/// comment says so when any is not zero.
/// </summary>
internal readonly record struct StackBounds(long MergedStacks, long TruncatedStacks, long BudgetBytes, long OtherTypeSamples = 0, long FreedCodeForgotten = 0, long FreedCodeKept = 0, long LostEvents = 0)
{
    /// <summary>A sentence for the profile's comment, or null when nothing was merged or cut.</summary>
    public string? Describe()
    {
        var parts = new List<string>(4);
        if (MergedStacks > 0)
        {
            parts.Add($"{MergedStacks} stacks that carried the least were merged into [other stacks] to keep the table within {BudgetBytes / 1048576.0:0.#} MB (PROFILINGKIT_PPROF_STACK_MEMORY_MB); totals are unchanged");
        }

        if (TruncatedStacks > 0)
        {
            parts.Add($"{TruncatedStacks} stacks deeper than {StackTable.MaxDepth} frames kept their leaf end under [truncated]");
        }

        if (OtherTypeSamples > 0)
        {
            parts.Add($"{OtherTypeSamples} samples of types first seen after the type table reached its {AllocationSampler.TypeBudgetBytes(BudgetBytes) / 1048576.0:0.##} MB have the type {AllocationSampler.OtherTypes}");
        }

        if (FreedCodeForgotten > 0)
        {
            parts.Add($"{FreedCodeForgotten} bodies of freed code (dynamic methods, unloaded assemblies) that no kept stack names were forgotten, {FreedCodeKept} kept for the stacks that do");
        }

        if (LostEvents > 0)
        {
            parts.Add($"the runtime dropped {LostEvents} events of this session, its buffer full while they waited to be read; the allocation samples among them are missing, so the estimates are low by their share");
        }

        return parts.Count == 0 ? null : "ProfilingKit: " + string.Join("; ", parts) + ".";
    }
}
