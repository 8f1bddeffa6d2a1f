using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Reports allocation diagnostics where they matter: at the rule's severity in hot places, and
/// elsewhere only when the project sets <c>profilingkit.report_outside_hot_places = true</c> in
/// .editorconfig, then as suggestions.
/// </summary>
internal static class HotPlaceReporter
{
    public const string ReportOutsideHotPlacesKey = "profilingkit.report_outside_hot_places";

    /// <summary>Reports <paramref name="rule"/> at <paramref name="location"/>; the last message argument is the hot place's description.</summary>
    public static void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, Location location, params object[] messageArgs)
    {
        var place = HotPlaces.Classify(context.Operation, context.ContainingSymbol, context.Options);
        var diagnostic = CreateDiagnostic(context.Options, context.Operation.Syntax.SyntaxTree, rule, location, place, messageArgs);
        if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
    }

    public static Diagnostic? CreateDiagnostic(AnalyzerOptions options, SyntaxTree tree, DiagnosticDescriptor rule, Location location, HotPlace place, object[] messageArgs)
    {
        var args = new object[messageArgs.Length + 1];
        messageArgs.CopyTo(args, 0);
        if (place.IsHot)
        {
            args[messageArgs.Length] = place.Description;
            return Diagnostic.Create(rule, location, args);
        }

        if (!ReportsOutsideHotPlaces(options, tree)) return null;

        args[messageArgs.Length] = "outside hot code";
        return Diagnostic.Create(rule, location, DiagnosticSeverity.Info, additionalLocations: null, properties: null, args);
    }

    public static bool ReportsOutsideHotPlaces(AnalyzerOptions options, SyntaxTree tree) =>
        options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(ReportOutsideHotPlacesKey, out var value)
        && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase);
}
