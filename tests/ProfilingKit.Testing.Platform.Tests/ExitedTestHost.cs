using Microsoft.Testing.Platform.Extensions.TestHostControllers;

namespace ProfilingKit.Testing.Platform.Tests;

/// <summary>A test host that has exited, as the platform describes it to controllers.</summary>
internal sealed class ExitedTestHost : ITestHostProcessInformation
{
    public int PID => 4242;

    public int ExitCode { get; init; }

    public bool HasExitedGracefully => true;
}
