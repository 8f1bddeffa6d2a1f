using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Reports allocation diagnostics where they matter: at the rule's severity in hot places, as
/// warnings in members a measured test run shows allocating, and elsewhere only when the project sets
/// <c>profilingkit.report_outside_hot_places = true</c> in .editorconfig, then as suggestions.
/// </summary>
internal static class HotPlaceReporter
{
    public const string ReportOutsideHotPlacesKey = "profilingkit.report_outside_hot_places";

    /// <summary>Reports <paramref name="rule"/> at <paramref name="location"/>; the last message argument is the hot place's description.</summary>
    public static void Report(OperationAnalysisContext context, DiagnosticDescriptor rule, Location location, params object[] messageArgs)
    {
        var place = HotPlaces.Classify(context.Operation, context.ContainingSymbol, context.Options);
        var diagnostic = CreateDiagnostic(context.Operation, context.Options, rule, location, place, messageArgs);
        if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
    }

    public static Diagnostic? CreateDiagnostic(IOperation operation, AnalyzerOptions options, DiagnosticDescriptor rule, Location location, HotPlace place, object[] messageArgs)
    {
        var args = new object[messageArgs.Length + 1];
        messageArgs.CopyTo(args, 0);
        if (place.IsHot)
        {
            args[messageArgs.Length] = place.Description;
            return Create(rule, location, IsMeasuredHot(operation, options, place), properties: null, args);
        }

        if (!ReportsOutsideHotPlaces(options, operation.Syntax.SyntaxTree)) return null;

        args[messageArgs.Length] = "outside hot code";
        return Diagnostic.Create(rule, location, DiagnosticSeverity.Info, additionalLocations: null, properties: null, args);
    }

    /// <summary>
    /// A diagnostic at the rule's default severity, or a warning where a measured test run shows the
    /// member allocating: the rules that default to suggestions (PK1002-PK1009) keep their warnings there.
    /// </summary>
    public static Diagnostic Create(DiagnosticDescriptor rule, Location location, bool measuredHot, ImmutableDictionary<string, string?>? properties, params object[] messageArgs) =>
        measuredHot && rule.DefaultSeverity < DiagnosticSeverity.Warning
            ? Diagnostic.Create(rule, location, DiagnosticSeverity.Warning, additionalLocations: null, properties, messageArgs)
            : Diagnostic.Create(rule, location, properties, messageArgs);

    /// <summary>In a member with a line of a hot-spot summary, whether the place itself is the loop or [HotPath] code around it.</summary>
    public static bool IsMeasuredHot(IOperation operation, AnalyzerOptions options, HotPlace place) =>
        place.Kind == HotPlaceKind.MeasuredHot || HotPlaces.MeasuredHotSpot(operation, options) is not null;

    public static bool ReportsOutsideHotPlaces(AnalyzerOptions options, SyntaxTree tree) => ConfigOptions.IsOn(options, tree, ReportOutsideHotPlacesKey);
}
