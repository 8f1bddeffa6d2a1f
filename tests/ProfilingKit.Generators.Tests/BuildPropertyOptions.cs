using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Generators.Tests;

/// <summary>Global analyzer config options holding <c>build_property.*</c> values, as MSBuild's generated editorconfig would.</summary>
internal sealed class BuildPropertyOptions(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptions
{
    public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
    {
        const string Prefix = "build_property.";
        value = null;
        return key.StartsWith(Prefix, StringComparison.Ordinal)
            && properties.TryGetValue(key[Prefix.Length..], out value);
    }
}
