using System.Threading;
using Microsoft.CodeAnalysis;

namespace ProfilingKit.Analyzers;

/// <summary>Whether a rule is turned off for a file, decided the way the compiler's analyzer driver decides it.</summary>
internal static class RuleSeverity
{
    /// <summary>
    /// True when <paramref name="descriptor"/> is off in <paramref name="tree"/>: severity none for the
    /// file (.editorconfig) or the project (global config), or suppressed by the compilation's options
    /// (/nowarn, a rule set), and not turned on by any of these; a rule disabled by default counts as
    /// off until configured.
    /// </summary>
    public static bool IsOff(DiagnosticDescriptor descriptor, SyntaxTree tree, CompilationOptions options, CancellationToken cancellationToken)
    {
        var severity = descriptor.GetEffectiveSeverity(options);
        if (options.SyntaxTreeOptionsProvider is { } configured
            && (configured.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var fromConfig)
                || configured.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out fromConfig)))
        {
            severity = fromConfig;
        }

        if (!descriptor.IsEnabledByDefault && severity == ReportDiagnostic.Default) severity = ReportDiagnostic.Suppress;
        return severity == ReportDiagnostic.Suppress;
    }
}
