using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>Short forms for analyzer tests. Mark expected spans in the source with {|PK1001:...|} or [|...|].</summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Asserts the analyzer reports exactly the marked diagnostics (and the compiler reports no errors).</summary>
    public static Task Analyzer(string source, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig)
    {
        var test = new AnalyzerTest<TAnalyzer, EmptyCodeFixProvider>(source, languageVersion);
        if (editorConfig.Length > 0) test.WithEditorConfig(editorConfig);
        return test.RunAsync();
    }

    /// <summary>A diagnostic to expect with an explicit severity or message, e.g. Info outside hot places.</summary>
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Asserts the analyzer reports <paramref name="expected"/> and nothing else.</summary>
    public static Task Analyzer(string source, DiagnosticResult[] expected, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig)
    {
        var test = new AnalyzerTest<TAnalyzer, EmptyCodeFixProvider>(source, languageVersion);
        if (editorConfig.Length > 0) test.WithEditorConfig(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}

/// <summary>Short forms for code-fix tests.</summary>
internal static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Asserts the marked diagnostics in <paramref name="source"/> and that fixing all of them gives <paramref name="fixedSource"/>.</summary>
    public static Task CodeFix(string source, string fixedSource, LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        var test = new AnalyzerTest<TAnalyzer, TCodeFix>(source, languageVersion) { FixedCode = fixedSource };
        test.FixedState.Sources.Add(("HotPathAttribute.cs", AnalyzerTest<TAnalyzer, TCodeFix>.HotPathAttributeSource));
        return test.RunAsync();
    }
}
