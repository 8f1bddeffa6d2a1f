namespace ProfilingKit.Analyzers;

/// <summary>
/// Every diagnostic id ProfilingKit reports: PK1xxx allocation rules, PK2xxx profiling hygiene.
/// Each id has docs/rules/&lt;id&gt;.md, which its help link points to.
/// </summary>
internal static class RuleIdentifiers
{
    public const string StringConcatenationInLoop = "PK1001";
    public const string TemporaryStringInStringBuilder = "PK1002";
    public const string BoxingInHotPlace = "PK1003";
    public const string DelegateAllocationInHotPlace = "PK1004";
    public const string LinqInHotPlace = "PK1005";
    public const string ParamsArrayInHotPlace = "PK1006";
    public const string CollectionPerIteration = "PK1007";
    public const string CopyPerIteration = "PK1008";
    public const string InterfaceEnumerationInHotPlace = "PK1009";
    public const string MeasuredHotAllocation = "PK1100";
    public const string HotSpotSummaryUnreadable = "PK1101";
    public const string DebugPprofExposure = "PK2001";
    public const string DateTimeElapsed = "PK2002";

    /// <summary>Where the rule pages are published; the repository's docs/rules folder.</summary>
    public const string DocumentationBaseUrl = "https://github.com/profilingkit/profilingkit/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => DocumentationBaseUrl + id + ".md";
}
