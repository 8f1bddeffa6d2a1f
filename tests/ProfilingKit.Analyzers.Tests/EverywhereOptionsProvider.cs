using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>Turns every rule on everywhere, so the corpus exercises cold code paths too.</summary>
internal sealed class EverywhereOptionsProvider : AnalyzerConfigOptionsProvider
{
    private static readonly AnalyzerConfigOptions Everywhere = new Options();

    public override AnalyzerConfigOptions GlobalOptions => Everywhere;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Everywhere;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Everywhere;

    private sealed class Options : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            value = "true";
            return key == HotPlaceReporter.ReportOutsideHotPlacesKey;
        }
    }
}
