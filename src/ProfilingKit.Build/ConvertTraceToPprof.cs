using Microsoft.Build.Framework;
using ProfilingKit.TestProfiles;
using Task = Microsoft.Build.Utilities.Task;

namespace ProfilingKit.Build;

/// <summary>
/// Turns the newest .nettrace of a test run into a pprof allocation profile and a hot-spot summary
/// beside it (<see cref="TestRunProfile"/>), and logs where they are, the estimated total and the top allocating functions. Any
/// problem with the trace is a warning (<see cref="TraceProblemCodes"/>): a profile is a by-product of the tests and
/// never fails the build.
/// </summary>
public sealed class ConvertTraceToPprof : Task
{
    private const string DocsLink = "https://github.com/profilingkit/profilingkit/blob/main/docs/test-profiles.md#warnings";

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
        var result = TestRunProfile.Write(TraceDirectory, OutputFile, MainBinary, Focus);
        ProfilePath = result.ProfilePath;
        SummaryPath = result.SummaryPath;
        foreach (var line in result.Lines) Log.LogMessage(MessageImportance.High, line);
    }

    private void Warn(string code, string message) =>
        Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, helpLink: DocsLink, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: "ProfilingKit: " + message);
}
