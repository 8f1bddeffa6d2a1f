using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using ProfilingKit.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Runs one analyzer (and optionally its code fix) over test code with Microsoft.CodeAnalysis.Testing:
/// the .NET 10 reference pack this project compiles against, a chosen C# version, an optional
/// .editorconfig, and a HotPathAttribute in scope.
/// </summary>
internal sealed class AnalyzerTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>An attribute named HotPath in a namespace of the test's own, as a project may declare it.</summary>
    public const string HotPathAttributeSource = """
        namespace Test.Attributes
        {
            [System.AttributeUsage(System.AttributeTargets.All)]
            public sealed class HotPathAttribute : System.Attribute { }
        }
        """;

    public AnalyzerTest(string source, LanguageVersion languageVersion = LanguageVersion.Latest)
    {
        LanguageVersion = languageVersion;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(NetCoreAppReferences.All);
        TestCode = source;
        TestState.Sources.Add(("HotPathAttribute.cs", HotPathAttributeSource));
    }

    /// <summary>Runs one hot-member rule, hosted by the package's analyzer as it hosts all eight.</summary>
    public AnalyzerTest(HotMemberRule rule, string source, LanguageVersion languageVersion = LanguageVersion.Latest)
        : this(source, languageVersion)
    {
        Analyzer = new HotMemberAnalyzer([rule]);
    }

    public LanguageVersion LanguageVersion { get; }

    /// <summary>The analyzer to run instead of a new <typeparamref name="TAnalyzer"/>.</summary>
    public DiagnosticAnalyzer? Analyzer { get; init; }

    /// <summary>Adds an .editorconfig for all C# files with the given lines, e.g. <c>profilingkit.report_outside_hot_places = true</c>.</summary>
    public AnalyzerTest<TAnalyzer, TCodeFix> WithEditorConfig(params string[] lines)
    {
        TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", lines) + "\n"));
        return this;
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
        Analyzer is null ? base.GetDiagnosticAnalyzers() : [Analyzer];

    protected override ParseOptions CreateParseOptions() =>
        ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
}
