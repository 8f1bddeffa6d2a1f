namespace ProfilingKit.TestProfiles;

/// <summary>
/// Why a trace gave no profile, with the PKB code the build warning carries. A test run's trace is
/// a by-product: its problems are warnings, never a failed build (docs/test-profiles.md#warnings).
/// </summary>
internal sealed class TraceProblem : Exception
{
    public TraceProblem(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>One of <see cref="TraceProblemCodes"/>.</summary>
    public string Code { get; }
}
