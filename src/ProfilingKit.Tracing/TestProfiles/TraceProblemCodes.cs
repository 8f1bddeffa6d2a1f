namespace ProfilingKit.TestProfiles;

/// <summary>The warning codes of the test-profile tasks; each is documented in docs/test-profiles.md#warnings.</summary>
internal static class TraceProblemCodes
{
    /// <summary>No trace: the test host did not run, did not start EventPipe, or wrote elsewhere.</summary>
    public const string Missing = "PKB001";

    /// <summary>The trace ends early: the test host was killed before EventPipe finished writing.</summary>
    public const string Truncated = "PKB002";

    /// <summary>The file is not a nettrace stream this reader understands.</summary>
    public const string Corrupt = "PKB003";

    /// <summary>The trace holds no allocation samples: nothing to profile.</summary>
    public const string NoSamples = "PKB004";

    /// <summary>The profile or the summary could not be written.</summary>
    public const string WriteFailed = "PKB005";

    /// <summary>DebugPprofFocus is not a valid regular expression.</summary>
    public const string BadFocus = "PKB006";

    /// <summary>The conversion failed in a way ProfilingKit did not foresee: a bug to report.</summary>
    public const string Unexpected = "PKB007";

    /// <summary>No trace, and the test host cannot have started: a framework its runtimeconfig.json needs is not installed.</summary>
    public const string FrameworkMissing = "PKB011";

    /// <summary>An error: the run allocated more than a DebugPprofBudget allows, beyond sampling error.</summary>
    /// <summary>A profile was written, but a module's PDB is another build's than the traced code: its frames have no lines.</summary>
    public const string StalePdb = "PKB012";

    public const string BudgetExceeded = "PKB020";

    /// <summary>An error: a function or a test allocated more than in DebugPprofBaseline, beyond the tolerance and sampling error.</summary>
    public const string BaselineGrowth = "PKB021";

    /// <summary>An error: a DebugPprofBudget item or DebugPprofBaselineTolerance cannot be read.</summary>
    public const string BadBudget = "PKB022";

    /// <summary>An error: DebugPprofBaseline cannot be read as an allocation profile.</summary>
    public const string BadBaseline = "PKB023";
}
