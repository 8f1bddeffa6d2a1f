using Microsoft.Build.Framework;
using ProfilingKit.TestProfiles;
using Task = Microsoft.Build.Utilities.Task;

namespace ProfilingKit.Build;

/// <summary>
/// Turns the newest .nettrace of a test run into a pprof allocation profile and a hot-spot summary
/// beside it (<see cref="TestRunProfile"/>), and logs where they are, the estimated total and the top allocating functions. Any
/// problem with the trace is a warning (<see cref="TraceProblemCodes"/>): a profile is a by-product of the tests and
/// never fails the build by itself. The gates the project declares do (<see cref="TestGates"/>): an exceeded budget, a
/// growth beyond the baseline, or a gate that cannot be checked is an error.
/// </summary>
public sealed class ConvertTraceToPprof : Task
{
    private const string DocsLink = "https://github.com/profilingkit/profilingkit/blob/main/docs/test-profiles.md#warnings";
    private const string GatesLink = "https://github.com/profilingkit/profilingkit/blob/main/docs/test-profiles.md#budgets-and-baselines";

    /// <summary>The folder the test host wrote its trace into; the newest *.nettrace in it is converted.</summary>
    [Required]
    public string TraceDirectory { get; set; } = "";

    /// <summary>The profile to write, such as TestResults/pprof/MyTests.allocs.pb.gz.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>The test assembly's path: the profile's mapping file, which pprof shows as <c>File:</c> (see MainBinary in ProfilingKit.Tracing).</summary>
    [Required]
    public string MainBinary { get; set; } = "";

    /// <summary>DebugPprofFocus: a regular expression; only samples with a matching frame are kept.</summary>
    public string Focus { get; set; } = "";

    /// <summary>The test assembly's runtimeconfig.json: when there is no trace, it tells whether the test host could start at all.</summary>
    public string RuntimeConfigFile { get; set; } = "";

    /// <summary>The folder of the dotnet that runs the test host (NetCoreRoot), whose shared/ frameworks the runtimeconfig needs.</summary>
    public string DotnetRoot { get; set; } = "";

    /// <summary>
    /// The DebugPprofBudget items: Include names the budget; metadata <c>MaxBytes</c> (50MB) and/or <c>MaxObjects</c> (a count)
    /// are its limits, of the run or, with <c>Calls</c>, per call; optional
    /// <c>Functions</c> a function pattern and <c>Test</c> a test-name pattern (globs on full names).
    /// </summary>
    public ITaskItem[] Budgets { get; set; } = [];

    /// <summary>DebugPprofBaseline: a profile of an earlier run to compare with; empty for none.</summary>
    public string Baseline { get; set; } = "";

    /// <summary>DebugPprofBaselineTolerance: how much more than the baseline is still fine, "10%" by default.</summary>
    public string BaselineTolerance { get; set; } = "";

    /// <summary>The profile written, or empty when there is none.</summary>
    [Output]
    public string ProfilePath { get; private set; } = "";

    /// <summary>The hot-spot summary written, or empty when there is none.</summary>
    [Output]
    public string SummaryPath { get; private set; } = "";

    public override bool Execute()
    {
        try
        {
            Convert();
        }
        catch (TraceProblem problem) when (problem.Code == TraceProblemCodes.Missing && MissingFramework.Describe(RuntimeConfigFile, DotnetRoot) is { } cause)
        {
            Warn(TraceProblemCodes.FrameworkMissing, $"no trace in {TraceDirectory}: {cause} No profile was written.");
        }
        catch (TraceProblem problem) when (problem.Code == TraceProblemCodes.BadBaseline)
        {
            Error(problem.Code, problem.Message); // a gate asked for and not checked must not pass
        }
        catch (TraceProblem problem)
        {
            Warn(problem.Code, problem.Message);
        }
        catch (Exception e)
        {
            Warn(TraceProblemCodes.Unexpected, $"converting the trace failed unexpectedly (please report it): {e}");
        }

        return !Log.HasLoggedErrors;
    }

    private void Convert()
    {
        // Gates that cannot be read are errors already; the profile is still written.
        var result = TestRunProfile.Write(TraceDirectory, OutputFile, MainBinary, Focus, ReadGates() ?? TestGates.None);
        ProfilePath = result.ProfilePath;
        SummaryPath = result.SummaryPath;
        foreach (var line in result.Lines) Log.LogMessage(MessageImportance.High, line);
        foreach (var (code, message) in result.Warnings) Warn(code, message);
        foreach (var (code, message) in result.Failures) Error(code, message);
    }

    /// <summary>The budgets and the baseline; null after logging an error when an item cannot be read, for a gate that cannot be checked must not pass.</summary>
    private TestGates? ReadGates()
    {
        var errors = new List<string>();
        var gates = TestGates.Read(
            Budgets.Select(item => new BudgetItem(item.ItemSpec, item.GetMetadata("Functions"), item.GetMetadata("Test"), item.GetMetadata("MaxBytes"), item.GetMetadata("MaxObjects"), item.GetMetadata("Calls"))),
            Baseline, BaselineTolerance, Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"), errors);
        foreach (var error in errors) Error(TraceProblemCodes.BadBudget, error);
        return gates;
    }

    private void Error(string code, string message) =>
        Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, helpLink: GatesLink, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: "ProfilingKit: " + message);

    private void Warn(string code, string message) =>
        Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, helpLink: DocsLink, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: "ProfilingKit: " + message);
}
