using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>What the rules that look into member bodies (PK1001-PK1009, PK2002) share in their setup.</summary>
internal static class MemberRules
{
    /// <summary>
    /// Silent in generated code by not analyzing it: without <see cref="GeneratedCodeAnalysisFlags.Analyze"/>
    /// the driver runs no callback for a member in a generated file or under [GeneratedCode], and these
    /// rules report only inside the member they were called for. With
    /// <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/> the driver also skips its check of every
    /// reported diagnostic against generated code, which maps the [GeneratedCode] symbols of each file
    /// with a diagnostic: half of the package's analyzer time on the benchmark corpus before this
    /// (bench/analyzers, `AnalyzerBench measure`; docs/benchmarks.md).
    /// </summary>
    public const GeneratedCodeAnalysisFlags GeneratedCode = GeneratedCodeAnalysisFlags.ReportDiagnostics;
}
