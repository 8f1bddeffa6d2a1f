namespace ProfilingKit.Tests;

/// <summary>An AllocatingApp started with a token, cmdline on and a 1-second maximum window.</summary>
public sealed class GuardedAppFixture : AppFixture
{
    public const string Token = "s3cret-token";

    public GuardedAppFixture()
        : base(megabytes: 1, busy: false, new Dictionary<string, string>
        {
            ["PROFILINGKIT_PPROF_TOKEN"] = Token,
            ["PROFILINGKIT_PPROF_CMDLINE"] = "1",
            ["PROFILINGKIT_PPROF_MAX_SECONDS"] = "1",
        })
    {
    }
}
