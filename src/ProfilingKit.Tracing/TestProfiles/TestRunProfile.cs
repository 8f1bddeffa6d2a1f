using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// A test run's profile: the newest <c>.nettrace</c> the test host wrote becomes a pprof allocation
/// profile and a hot-spot summary beside it, with the lines a person reads after the run (where the
/// files are, the estimated total, the top allocating functions). One code path for every test
/// platform: the MSBuild task (VSTest) and the testing-platform extension both call it.
/// </summary>
internal sealed class TestRunProfile
{
    /// <summary>How many functions the closing lines list.</summary>
    public const int TopFunctionCount = 5;

    private TestRunProfile(string profilePath, string summaryPath, string markdownPath, IReadOnlyList<string> lines, IReadOnlyList<(string Code, string Message)> failures, IReadOnlyList<(string Code, string Message)> warnings)
    {
        ProfilePath = profilePath;
        SummaryPath = summaryPath;
        MarkdownPath = markdownPath;
        Lines = lines;
        Failures = failures;
        Warnings = warnings;
    }

    /// <summary>The Markdown summary written beside the profile (and appended to <c>$GITHUB_STEP_SUMMARY</c> when set).</summary>
    public string MarkdownPath { get; }

    /// <summary>The gates that failed (<see cref="TestGates"/>): one error each, with its code.</summary>
    public IReadOnlyList<(string Code, string Message)> Failures { get; }

    /// <summary>What is wrong with a profile that was written all the same: one warning each, with its code.</summary>
    public IReadOnlyList<(string Code, string Message)> Warnings { get; }

    /// <summary>The profile written.</summary>
    public string ProfilePath { get; }

    /// <summary>The hot-spot summary written beside it.</summary>
    public string SummaryPath { get; }

    /// <summary>What to tell the person who ran the tests, one line each, each starting "ProfilingKit: ".</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>
    /// Converts the newest trace of <paramref name="traceDirectory"/> into <paramref name="outputFile"/>
    /// and its summary. Throws <see cref="TraceProblem"/> with the warning's code when no profile can be written.
    /// </summary>
    /// <param name="traceDirectory">The folder the test host wrote its trace into.</param>
    /// <param name="outputFile">The profile to write, such as TestResults/pprof/MyTests.allocs.pb.gz.</param>
    /// <param name="mainBinary">The test assembly's path: the profile's mapping file (<see cref="MainBinary"/>), which pprof shows as <c>File:</c>.</param>
    /// <param name="focus">DebugPprofFocus: a regular expression; only samples with a matching frame are kept. Empty for all.</param>
    /// <param name="gates">Budgets and a baseline to hold the run to; none by default.</param>
    public static TestRunProfile Write(string traceDirectory, string outputFile, string mainBinary, string focus, TestGates? gates = null)
    {
        gates ??= TestGates.None;
        var tracePath = NewestTrace(traceDirectory);
        var watch = Stopwatch.StartNew();
        var profile = AllocationTrace.Read(tracePath, Path.GetFullPath(mainBinary), out var stalePdbModules);
        List<(string Code, string Message)> warnings = stalePdbModules.Count == 0 ? [] :
        [
            (TraceProblemCodes.StalePdb, $"the PDB of {string.Join(", ", stalePdbModules)} is not the traced code's: the assembly was rebuilt after {tracePath} was written, so its frames have no source lines in the profile and no rows in the hot-spot summary (rather than another build's lines). Convert right after the tests, or run them again."),
        ];
        var traceBytes = new FileInfo(tracePath).Length;
        var lines = new List<string>();

        if (focus.Length > 0)
        {
            Regex pattern;
            try
            {
                pattern = new Regex(focus, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new TraceProblem(TraceProblemCodes.BadFocus, $"DebugPprofFocus '{focus}' is not a valid regular expression ({e.Message}); no profile was written.");
            }

            var kept = ProfileFocus.Apply(profile, pattern);
            lines.Add($"ProfilingKit: DebugPprofFocus '{focus}' kept {kept} sample(s).");
        }

        var outputPath = Path.GetFullPath(outputFile);
        var summary = HotSpotSummary.Of(profile, outputPath);
        var summaryPath = HotSpotSummary.PathFor(outputPath);
        var samples = new ProfileSamples(profile);
        var outcome = GateOutcome.Evaluate(samples, gates);
        var markdownPath = Path.ChangeExtension(summaryPath, ".md");
        var markdown = outcome.Markdown(Path.GetFileNameWithoutExtension(mainBinary), samples, outputPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            using (var stream = File.Create(outputPath))
            {
                ProfileSerializer.WriteGzip(profile, stream);
            }

            summary.WriteTo(summaryPath);
            File.WriteAllText(markdownPath, markdown);
            if (gates.StepSummaryPath is { Length: > 0 } stepSummary) File.AppendAllText(stepSummary, markdown);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceProblem(TraceProblemCodes.WriteFailed, $"could not write {outputPath}, {summaryPath}, {markdownPath} or the step summary: {e.Message}", e);
        }

        AddResultLines(lines, profile, summary, summaryPath, tracePath, traceBytes, watch.Elapsed);
        lines.AddRange(outcome.Lines);
        lines.Add($"ProfilingKit: Markdown summary {markdownPath}" + (gates.StepSummaryPath is { Length: > 0 } ? " (also added to $GITHUB_STEP_SUMMARY)" : ""));
        return new TestRunProfile(outputPath, summaryPath, markdownPath, lines, outcome.Failures.ToList(), warnings);
    }

    private static string NewestTrace(string traceDirectory)
    {
        var directory = new DirectoryInfo(traceDirectory);
        var traces = directory.Exists ? directory.GetFiles("*.nettrace") : [];
        if (traces.Length == 0)
        {
            throw new TraceProblem(TraceProblemCodes.Missing,
                $"no trace in {directory.FullName}: the test host wrote none. Did the tests run (a build error, no test matched the filter)? " +
                "Did something else set the test host's DOTNET_EventPipe* variables? No profile was written.");
        }

        return traces.OrderByDescending(trace => trace.LastWriteTimeUtc).First().FullName;
    }

    /// <summary>
    /// The lines after the run. The flat top of a real suite is the framework's (string building, array growth), which
    /// says little of what to change; so the sites of the user's own code follow, as the summary attributes them: each
    /// sample to its innermost frame of code whose source file is on this machine, with what it called in the framework
    /// and packages.
    /// </summary>
    private static void AddResultLines(List<string> lines, Profile profile, HotSpotSummary summary, string summaryPath, string tracePath, long traceBytes, TimeSpan elapsed)
    {
        var totals = AllocationTotals.Of(profile, TopFunctionCount);
        var seconds = elapsed.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture);
        lines.Add($"ProfilingKit: allocation profile {summary.ProfilePath}");
        lines.Add($"ProfilingKit: estimated {HotSpotSummaryFormat.FormatBytes(totals.TotalBytes)} allocated ({profile.Sample.Count} stacks; trace {HotSpotSummaryFormat.FormatBytes(traceBytes)} converted in {seconds} s)");
        lines.Add($"ProfilingKit: top {totals.TopFunctions.Count} functions by alloc_space (flat):");
        foreach (var (function, bytes) in totals.TopFunctions)
        {
            lines.Add(RankedLine(bytes, totals.TotalBytes == 0 ? 0 : (double)bytes / totals.TotalBytes, function.FunctionName, function.FileName, function.Line));
        }

        var ownSites = summary.Rows.Take(TopFunctionCount).ToList();
        lines.Add(ownSites.Count == 0
            ? $"ProfilingKit: no allocation site in your code (frames with a source file on this machine) reached {HotSpotSummary.MinimumShare.ToString("0.#%", CultureInfo.InvariantCulture)} of the run."
            : $"ProfilingKit: top {ownSites.Count} sites in your code (innermost frame of your code, with what it called):");
        foreach (var site in ownSites)
        {
            lines.Add(RankedLine(site.Bytes, site.Share, site.Function, site.File, site.Line) + (site.Tests.Count == 0 ? "" : "  (tests: " + site.TestsText + ")"));
        }

        lines.Add($"ProfilingKit: hot-spot summary {summaryPath}");
        lines.Add($"ProfilingKit: explore: go tool pprof -top \"{summary.ProfilePath}\"  (trace: {tracePath})");
    }

    private static string RankedLine(long bytes, double share, string function, string? file, long line)
    {
        var where = file is null ? "" : $" ({Path.GetFileName(file)}:{line})";
        return $"ProfilingKit:   {HotSpotSummaryFormat.FormatBytes(bytes),10} {(100 * share).ToString("0.0", CultureInfo.InvariantCulture),5}%  {function}{where}";
    }
}
