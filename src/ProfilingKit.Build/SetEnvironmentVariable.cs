using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace ProfilingKit.Build;

/// <summary>
/// Sets an environment variable of the MSBuild process, which the tools it starts afterwards
/// inherit. ProfilingKit sets VSTEST_TESTHOST_SHUTDOWN_TIMEOUT this way: vstest.console reads it, and
/// without it the test host is killed 100 ms after the run, before its trace is written.
/// </summary>
public sealed class SetEnvironmentVariable : Task
{
    [Required]
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";

    /// <summary>Leaves a value the user set alone.</summary>
    public bool OnlyIfUnset { get; set; }

    public override bool Execute()
    {
        if (OnlyIfUnset && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Name))) return true;

        Environment.SetEnvironmentVariable(Name, Value);
        Log.LogMessage(MessageImportance.Low, $"ProfilingKit: {Name}={Value} for the processes this build starts.");
        return true;
    }
}
