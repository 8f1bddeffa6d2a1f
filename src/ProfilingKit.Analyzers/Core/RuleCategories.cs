namespace ProfilingKit.Analyzers;

internal static class RuleCategories
{
    /// <summary>Allocation rules (PK1xxx).</summary>
    public const string Performance = "Performance";

    /// <summary>Profiling hygiene rules (PK2xxx).</summary>
    public const string Diagnostics = "Diagnostics";
}
