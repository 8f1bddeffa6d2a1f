using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>Whether a rule is turned off for a file, decided the way the compiler's analyzer driver decides it.</summary>
internal static class RuleSeverity
{
    /// <summary>.editorconfig / global config key: the severity of every rule of one category.</summary>
    public static string CategoryKey(string category) => "dotnet_analyzer_diagnostic.category-" + category + ".severity";

    /// <summary>.editorconfig / global config key: the severity of every analyzer rule.</summary>
    public const string AllRulesKey = "dotnet_analyzer_diagnostic.severity";

    /// <summary>
    /// True when <paramref name="descriptor"/> is off in <paramref name="tree"/>. Roslyn's precedence: a
    /// setting for the rule's id (/nowarn or a rule set in the compilation options, the file's
    /// .editorconfig, a global config) beats the bulk setting for its category
    /// (<c>dotnet_analyzer_diagnostic.category-Performance.severity</c>), which beats the bulk setting
    /// for all rules (<c>dotnet_analyzer_diagnostic.severity</c>), which beats the rule's default. Bulk
    /// settings do not apply to a rule disabled by default, which counts as off until its id is
    /// configured (as in Roslyn's AnalyzerOptionsExtensions.TryGetSeverityFromBulkConfiguration).
    /// </summary>
    public static bool IsOff(DiagnosticDescriptor descriptor, SyntaxTree tree, CompilationOptions options, AnalyzerOptions analyzerOptions, CancellationToken cancellationToken)
    {
        var severity = descriptor.GetEffectiveSeverity(options);
        var configuredById = options.SpecificDiagnosticOptions.ContainsKey(descriptor.Id);
        if (options.SyntaxTreeOptionsProvider is { } configured
            && (configured.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var fromConfig)
                || configured.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out fromConfig)))
        {
            severity = fromConfig;
            configuredById = true;
        }

        if (!configuredById && descriptor.IsEnabledByDefault && TryGetBulkSeverity(descriptor, analyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree), out var bulk))
        {
            severity = bulk;
        }

        if (!descriptor.IsEnabledByDefault && severity == ReportDiagnostic.Default) severity = ReportDiagnostic.Suppress;
        return severity == ReportDiagnostic.Suppress;
    }

    private static bool TryGetBulkSeverity(DiagnosticDescriptor descriptor, AnalyzerConfigOptions options, out ReportDiagnostic severity)
    {
        severity = ReportDiagnostic.Default;
        return (options.TryGetValue(CategoryKey(descriptor.Category), out var value) && TryParse(value, out severity))
            || (options.TryGetValue(AllRulesKey, out value) && TryParse(value, out severity));
    }

    /// <summary>The severities .editorconfig accepts, as Roslyn's AnalyzerConfigSet.TryParseSeverity reads them.</summary>
    private static bool TryParse(string value, out ReportDiagnostic severity)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "default":
                severity = ReportDiagnostic.Default;
                return true;
            case "error":
                severity = ReportDiagnostic.Error;
                return true;
            case "warning":
                severity = ReportDiagnostic.Warn;
                return true;
            case "suggestion":
                severity = ReportDiagnostic.Info;
                return true;
            case "silent" or "refactoring":
                severity = ReportDiagnostic.Hidden;
                return true;
            case "none":
                severity = ReportDiagnostic.Suppress;
                return true;
            default:
                severity = ReportDiagnostic.Default;
                return false;
        }
    }
}
