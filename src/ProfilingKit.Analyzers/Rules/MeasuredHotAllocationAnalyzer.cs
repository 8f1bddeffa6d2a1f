using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1100: a line of this project that a measured test run shows allocating a large share of the
/// run's bytes, read from a hot-spot summary (<c>*.hotspots.txt</c>) passed as an AdditionalFile.
/// PK1101: a summary that cannot be read, or rows of it that were skipped, so a misconfigured
/// property does not silently turn the rule off.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MeasuredHotAllocationAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.MeasuredHotAllocation,
        "A measured test run allocates heavily here",
        "This line allocated {0} in a measured test run, {1} of all its allocations (in '{2}')",
        RuleCategories.Performance,
        DiagnosticSeverity.Warning,
        "ProfilingKit's test profiles (EnableDebugPprof in a test project) write a hot-spot summary beside the allocation profile: the source lines of user code where the run's allocations happened, with their bytes. Passed to this project as an AdditionalFile, it marks the lines at or above profilingkit.measured_hot_min_share (default 1%) of the run, and makes their members hot places for the other allocation rules.");

    internal static readonly DiagnosticDescriptor UnreadableSummary = RuleDescriptors.Create(
        RuleIdentifiers.HotSpotSummaryUnreadable,
        "A hot-spot summary could not be used",
        "The hot-spot summary '{0}' could not be used at line {1}: {2}",
        RuleCategories.Diagnostics,
        DiagnosticSeverity.Warning,
        "A file named *.hotspots.txt among the AdditionalFiles is read as a ProfilingKit hot-spot summary (format v2, or v1). This warning says which file or row was not, and why, so that measured hot places are not silently lost.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, UnreadableSummary);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var hotSpots = MeasuredHotSpots.For(start.Options);
            if (!hotSpots.Problems.IsEmpty) start.RegisterCompilationEndAction(end => ReportProblems(end, hotSpots));
            if (!hotSpots.IsEmpty) start.RegisterSyntaxTreeAction(tree => AnalyzeTree(tree, hotSpots));
        });
    }

    private static void AnalyzeTree(SyntaxTreeAnalysisContext context, MeasuredHotSpots hotSpots)
    {
        var spots = hotSpots.In(context.Tree, context.Options, context.CancellationToken);
        if (spots.IsEmpty) return;

        var text = context.Tree.GetText(context.CancellationToken);
        foreach (var (spot, lineSpan) in spots)
        {
            var location = Location.Create(context.Tree, Trimmed(text, lineSpan));
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, HotSpotSummaryFormat.FormatBytes(spot.Bytes), HotSpotSummaryFormat.FormatShare(spot.Share), spot.Function));
        }
    }

    private static void ReportProblems(CompilationAnalysisContext context, MeasuredHotSpots hotSpots)
    {
        foreach (var problem in hotSpots.Problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(UnreadableSummary, Location.None, problem.Path, problem.Line, problem.Reason));
        }
    }

    /// <summary>The line without its indentation and trailing blanks, so the squiggle sits under the code.</summary>
    private static TextSpan Trimmed(SourceText text, TextSpan line)
    {
        var start = line.Start;
        var end = line.End;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return end > start ? TextSpan.FromBounds(start, end) : line;
    }
}
