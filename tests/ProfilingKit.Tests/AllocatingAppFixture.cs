namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process, 110 MB allocated in the known method, shared by the profile tests.</summary>
public sealed class AllocatingAppFixture : AppFixture
{
    public AllocatingAppFixture()
        : base(megabytes: 110, busy: false)
    {
        // The tests compare the profile with the bytes the app measured: let the profile catch up first.
        WaitForSettledAllocations(AllocatingAppProcess.KnownMethod);
    }
}
