using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ProfilingKit.Pprof;
using Task = Microsoft.Build.Utilities.Task;

namespace ProfilingKit.Build;

/// <summary>
/// Turns the newest .nettrace of a test run into a pprof allocation profile and a hot-spot summary
/// beside it, and logs where they are, the estimated total and the top allocating functions. Any
/// problem with the trace is a warning (<see cref="TraceProblemCodes"/>): a profile is a by-product of the tests and
/// never fails the build.
/// </summary>
public sealed class ConvertTraceToPprof : Task
{
    private const int TopFunctionCount = 5;
    private const string DocsLink = "https://github.com/profilingkit/profilingkit/blob/main/docs/test-profiles.md#warnings";

    /// <summary>The folder the test host wrote its trace into; the newest *.nettrace in it is converted.</summary>
    [Required]
    public string TraceDirectory { get; set; } = "";

    /// <summary>The profile to write, such as TestResults/pprof/MyTests.allocs.pb.gz.</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>The name pprof shows as <c>File:</c>: the test project.</summary>
    public string ProjectName { get; set; } = "";

    /// <summary>DebugPprofFocus: a regular expression; only samples with a matching frame are kept.</summary>
    public string Focus { get; set; } = "";

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
        var tracePath = NewestTrace();
        var watch = Stopwatch.StartNew();
        var profile = AllocationTrace.Read(tracePath, ProjectName.Length > 0 ? ProjectName : Path.GetFileNameWithoutExtension(OutputFile));
        var traceBytes = new FileInfo(tracePath).Length;

        if (Focus.Length > 0)
        {
            Regex focus;
            try
            {
                focus = new Regex(Focus, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new TraceProblem(TraceProblemCodes.BadFocus, $"DebugPprofFocus '{Focus}' is not a valid regular expression ({e.Message}); no profile was written.");
            }

            var kept = ProfileFocus.Apply(profile, focus);
            Log.LogMessage(MessageImportance.High, $"ProfilingKit: DebugPprofFocus '{Focus}' kept {kept} sample(s).");
        }

        var outputPath = Path.GetFullPath(OutputFile);
        var summary = HotSpotSummary.Of(profile, outputPath);
        var summaryPath = HotSpotSummary.PathFor(outputPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            using (var stream = File.Create(outputPath))
            {
                ProfileSerializer.WriteGzip(profile, stream);
            }

            summary.WriteTo(summaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceProblem(TraceProblemCodes.WriteFailed, $"could not write {outputPath} or {summaryPath}: {e.Message}", e);
        }

        ProfilePath = outputPath;
        SummaryPath = summaryPath;
        LogResult(profile, tracePath, traceBytes, watch.Elapsed);
    }

    private string NewestTrace()
    {
        var directory = new DirectoryInfo(TraceDirectory);
        var traces = directory.Exists ? directory.GetFiles("*.nettrace") : [];
        if (traces.Length == 0)
        {
            throw new TraceProblem(TraceProblemCodes.Missing,
                $"no trace in {directory.FullName}: the test host wrote none. Did the tests run (a build error, no test matched the filter)? " +
                "Did a launch profile of your own replace ProfilingKit's environment (Microsoft.Testing.Platform)? No profile was written.");
        }

        return traces.OrderByDescending(trace => trace.LastWriteTimeUtc).First().FullName;
    }

    private void LogResult(Pprof.Proto.Profile profile, string tracePath, long traceBytes, TimeSpan elapsed)
    {
        var totals = AllocationTotals.Of(profile, TopFunctionCount);
        var seconds = elapsed.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture);
        Log.LogMessage(MessageImportance.High, $"ProfilingKit: allocation profile {ProfilePath}");
        Log.LogMessage(MessageImportance.High,
            $"ProfilingKit: estimated {HotSpotSummaryFormat.FormatBytes(totals.TotalBytes)} allocated ({profile.Sample.Count} stacks; trace {HotSpotSummaryFormat.FormatBytes(traceBytes)} converted in {seconds} s)");
        Log.LogMessage(MessageImportance.High, $"ProfilingKit: top {totals.TopFunctions.Count} functions by alloc_space (flat):");
        foreach (var (function, bytes) in totals.TopFunctions)
        {
            var share = totals.TotalBytes == 0 ? 0 : 100.0 * bytes / totals.TotalBytes;
            var where = function.FileName is null ? "" : $" ({Path.GetFileName(function.FileName)}:{function.Line})";
            Log.LogMessage(MessageImportance.High,
                $"ProfilingKit:   {HotSpotSummaryFormat.FormatBytes(bytes),10} {share.ToString("0.0", CultureInfo.InvariantCulture),5}%  {function.FunctionName}{where}");
        }

        Log.LogMessage(MessageImportance.High, $"ProfilingKit: hot-spot summary {SummaryPath}");
        Log.LogMessage(MessageImportance.High, $"ProfilingKit: explore: go tool pprof -top \"{ProfilePath}\"  (trace: {tracePath})");
    }

    private void Warn(string code, string message) =>
        Log.LogWarning(subcategory: null, warningCode: code, helpKeyword: null, helpLink: DocsLink, file: null,
            lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: "ProfilingKit: " + message);
}
