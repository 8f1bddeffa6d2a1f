namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process that keeps 50 MB of AllocatingApp.RetainedRecord[] alive, for the heap profile tests.</summary>
public sealed class RetainingAppFixture : AppFixture
{
    public const string RetainedType = "AllocatingApp.RetainedRecord[]";

    public RetainingAppFixture()
        : base(megabytes: 20, busy: false, retainedMegabytes: 50)
    {
    }
}
