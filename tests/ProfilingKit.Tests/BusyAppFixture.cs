namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process that keeps burning CPU, allocating and sleeping in known methods, shared by the CPU, wall and delta tests.</summary>
public sealed class BusyAppFixture : AppFixture
{
    public BusyAppFixture()
        : base(megabytes: 1, busy: true)
    {
    }
}
