namespace ProfilingKit.Tests;

/// <summary>
/// The test classes that share one busy AllocatingApp. One collection runs its classes one after
/// the other, so only one app burns CPU at a time and CPU profiles do not compete for the slot.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BusyAppCollection : ICollectionFixture<BusyAppFixture>
{
    public const string Name = "busy app";
}
