namespace ProfilingKit.Tests;

/// <summary>One AllocatingApp process, 110 MB allocated in the known method, shared by the profile tests.</summary>
public sealed class AllocatingAppFixture : AppFixture
{
    public AllocatingAppFixture()
        : base(megabytes: 110, busy: false)
    {
    }
}
