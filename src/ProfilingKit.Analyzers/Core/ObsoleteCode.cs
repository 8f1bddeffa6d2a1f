using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Code marked [Obsolete] (the member, its property or event, or any containing type) is cold: kept
/// for old callers on its way out, it is not where a program should spend its time, nor where a
/// maintainer tunes allocations (Newtonsoft.Json's JsonValidatingReader and JSON Schema classes). Analyzed
/// again with <c>profilingkit.analyze_obsolete_code = true</c>.
/// </summary>
internal static class ObsoleteCode
{
    public const string AnalyzeObsoleteCodeKey = "profilingkit.analyze_obsolete_code";

    /// <summary>Whether code of <paramref name="owningSymbol"/> is cold for being obsolete.</summary>
    public static bool IsCold(ISymbol? owningSymbol, AnalyzerOptions options, SyntaxTree tree) =>
        HotPlaces.MarkedSymbol(owningSymbol, IsObsoleteAttribute) is not null && !ConfigOptions.IsOn(options, tree, AnalyzeObsoleteCodeKey);

    private static bool IsObsoleteAttribute(AttributeData attribute) =>
        attribute.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}
