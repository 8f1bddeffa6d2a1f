using Microsoft.CodeAnalysis;

namespace ProfilingKit.Analyzers;

/// <summary>Creates descriptors the same way for every rule: help link from the id, enabled by default.</summary>
internal static class RuleDescriptors
{
    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, RuleIdentifiers.GetHelpUri(id));
}
