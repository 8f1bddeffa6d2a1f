using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>The package's switches in .editorconfig or a global config: <c>profilingkit.x = true</c>.</summary>
internal static class ConfigOptions
{
    /// <summary>Whether <paramref name="key"/> is <c>true</c> for <paramref name="tree"/>.</summary>
    public static bool IsOn(AnalyzerOptions options, SyntaxTree tree, string key) =>
        IsTrue(options.AnalyzerConfigOptionsProvider.GetOptions(tree), key);

    public static bool IsTrue(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
