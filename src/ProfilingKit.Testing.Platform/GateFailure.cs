namespace ProfilingKit.Testing.Platform;

/// <summary>
/// Fails the test app's run when one of the project's gates failed (a budget, the baseline, or a gate that
/// could not be checked). The controller process returns the test host's exit code, and
/// Microsoft.Testing.Platform 1.x and 2.x give a controller extension no way to change it. The exit code a
/// .NET process ends with can still be set while it ends: an <see cref="AppDomain.ProcessExit"/> handler runs
/// after the entry point has returned the platform's code, and <see cref="Environment.ExitCode"/> set there is
/// the process's. So a failed gate turns a passing run's 0 into <see cref="ExitCode"/>, and leaves any other
/// code (failed tests, a crash) as the platform made it. `dotnet test` reports a test app that exits with a
/// code other than 0 as failed, and shows its output.
/// </summary>
internal static class GateFailure
{
    /// <summary>Microsoft.Testing.Platform's "generic failure": the tests passed, the run did not.</summary>
    public const int ExitCode = 1;

    private static int s_failing;

    /// <summary>Makes this process end with <see cref="ExitCode"/> if it would end with 0; once, however often it is called.</summary>
    public static void FailRun()
    {
        if (Interlocked.Exchange(ref s_failing, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Environment.ExitCode == 0) Environment.ExitCode = ExitCode;
        };
    }
}
