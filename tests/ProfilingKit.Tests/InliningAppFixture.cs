namespace ProfilingKit.Tests;

/// <summary>
/// One AllocatingApp process started with DOTNET_RichDebugInfo=1 that first allocates 40 MB in a
/// method the JIT inlines into a hot loop, for the inlined-frames tests.
/// </summary>
public sealed class InliningAppFixture : AppFixture
{
    /// <summary>What the app allocates in the inlined method.</summary>
    public const int InlinedMegabytes = 40;

    public InliningAppFixture()
        : base(megabytes: 5, busy: false, new Dictionary<string, string> { ["DOTNET_RichDebugInfo"] = "1" }, inlinedMegabytes: InlinedMegabytes)
    {
        // One CI run read the profile before any of the app's allocations had reached it.
        WaitForSettledAllocations(AllocatingAppProcess.InliningMethod);
    }
}
