using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>Short forms for analyzer tests. Mark expected spans in the source with {|PK1001:...|} or [|...|].</summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Asserts the analyzer reports exactly the marked diagnostics (and the compiler reports no errors).</summary>
    public static Task Analyzer(string source, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig) =>
        Analyzer(source, [], languageVersion, editorConfig);

    /// <summary>A diagnostic to expect with an explicit severity or message, e.g. Info outside hot places.</summary>
    public static DiagnosticResult Diagnostic(string id) => VerifyRun.Diagnostic(new TAnalyzer(), id);

    /// <summary>Asserts the analyzer reports <paramref name="expected"/> and nothing else.</summary>
    public static Task Analyzer(string source, DiagnosticResult[] expected, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig) =>
        VerifyRun.Analyzer(new AnalyzerTest<TAnalyzer, EmptyCodeFixProvider>(source, languageVersion), expected, editorConfig);
}

/// <summary>Short forms for code-fix tests.</summary>
internal static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Asserts the marked diagnostics in <paramref name="source"/> and that fixing all of them gives <paramref name="fixedSource"/>.</summary>
    public static Task CodeFix(string source, string fixedSource, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        VerifyRun.CodeFix(new AnalyzerTest<TAnalyzer, TCodeFix>(source, languageVersion), fixedSource);
}

/// <summary>The short forms of <see cref="Verify{TAnalyzer}"/> for one hot-member rule, run by the package's host.</summary>
internal static class VerifyRule<TRule>
    where TRule : HotMemberRule, new()
{
    public static Task Analyzer(string source, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig) =>
        Analyzer(source, [], languageVersion, editorConfig);

    public static DiagnosticResult Diagnostic(string id) => VerifyRun.Diagnostic(new HotMemberAnalyzer([new TRule()]), id);

    public static Task Analyzer(string source, DiagnosticResult[] expected, LanguageVersion languageVersion = LanguageVersion.Latest, params string[] editorConfig) =>
        VerifyRun.Analyzer(new AnalyzerTest<HotMemberAnalyzer, EmptyCodeFixProvider>(new TRule(), source, languageVersion), expected, editorConfig);
}

/// <summary>The short forms of <see cref="Verify{TAnalyzer, TCodeFix}"/> for one hot-member rule.</summary>
internal static class VerifyRule<TRule, TCodeFix>
    where TRule : HotMemberRule, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task CodeFix(string source, string fixedSource, LanguageVersion languageVersion = LanguageVersion.Latest) =>
        VerifyRun.CodeFix(new AnalyzerTest<HotMemberAnalyzer, TCodeFix>(new TRule(), source, languageVersion), fixedSource);
}

/// <summary>What the short forms do, whichever analyzer they run.</summary>
internal static class VerifyRun
{
    /// <summary>A diagnostic of <paramref name="analyzer"/>'s descriptor <paramref name="id"/>, at its default severity.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticAnalyzer analyzer, string id) =>
        new(analyzer.SupportedDiagnostics.Single(descriptor => descriptor.Id == id));

    public static Task Analyzer<TAnalyzer, TCodeFix>(AnalyzerTest<TAnalyzer, TCodeFix> test, DiagnosticResult[] expected, string[] editorConfig)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        if (editorConfig.Length > 0) test.WithEditorConfig(editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFix<TAnalyzer, TCodeFix>(AnalyzerTest<TAnalyzer, TCodeFix> test, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        test.FixedCode = fixedSource;
        test.FixedState.Sources.Add(("HotPathAttribute.cs", AnalyzerTest<TAnalyzer, TCodeFix>.HotPathAttributeSource));
        return test.RunAsync();
    }
}
