using Microsoft.CodeAnalysis;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Defaults that do not break builds (issue 17): PK1001 is a warning, the other allocation rules are
/// suggestions (raised by .editorconfig, bulk settings included), measured hot places warn, and test
/// projects get no allocation diagnostics unless they ask.
/// </summary>
public class DefaultSeverityTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Text;

        class C
        {
            string Run(List<object> sink, string[] parts)
            {
                var text = "";
                var sb = new StringBuilder();
                for (var i = 0; i < parts.Length; i++)
                {
                    text += parts[i];
                    sink.Add(i);
                    sb.Append(i.ToString());
                }

                return text + sb;
            }
        }
        """;

    private const string Concatenation = "PK1001 Warning (12,13)";
    private const string Boxing = "PK1003 Info (13,22)";
    private const string TemporaryString = "PK1002 Info (14,23)";

    [Fact]
    public void PK1001_and_PK1100_are_warnings_and_the_other_allocation_rules_suggestions()
    {
        var descriptors = AnalyzerCorpusTests.AllAnalyzers().SelectMany(analyzer => analyzer.SupportedDiagnostics).ToDictionary(d => d.Id, d => d.DefaultSeverity);

        Assert.Equal(DiagnosticSeverity.Warning, descriptors["PK1001"]);
        Assert.Equal(DiagnosticSeverity.Warning, descriptors["PK1100"]);
        Assert.All(["PK1002", "PK1003", "PK1004", "PK1005", "PK1006", "PK1007", "PK1008", "PK1009"], id => Assert.Equal(DiagnosticSeverity.Info, descriptors[id]));
    }

    [Fact]
    public async Task In_a_loop_PK1001_warns_and_the_others_suggest() =>
        Assert.Equal([Concatenation, TemporaryString, Boxing], await Reported());

    [Fact]
    public async Task A_bulk_warning_raises_the_suggestions() =>
        Assert.Equal([Concatenation, "PK1002 Warning (14,23)", "PK1003 Warning (13,22)"], await Reported(EditorConfig("dotnet_analyzer_diagnostic.category-Performance.severity = warning")));

    [Theory]
    [InlineData("build_property.IsTestProject = true")]
    [InlineData("build_property.IsTestingPlatformApplication = true")]
    public async Task A_test_project_gets_no_allocation_diagnostics(string property) =>
        Assert.Empty(await Reported(BuildProperties(property)));

    [Fact]
    public async Task A_test_project_that_asks_gets_them() =>
        Assert.Equal([Concatenation, TemporaryString, Boxing], await Reported(
            BuildProperties("build_property.IsTestProject = true"),
            EditorConfig("profilingkit.analyze_test_projects = true")));

    [Fact]
    public async Task A_project_that_is_not_a_test_project_gets_them() =>
        Assert.Equal([Concatenation, TemporaryString, Boxing], await Reported(BuildProperties("build_property.IsTestProject = false", "build_property.IsTestingPlatformApplication = ")));

    /// <summary>What MSBuild writes for CompilerVisibleProperty items: a global config of build_property keys.</summary>
    private static (string, string) BuildProperties(params string[] lines) =>
        ("/obj/Project.GeneratedMSBuildEditorConfig.editorconfig", "is_global = true\n" + string.Join("\n", lines) + "\n");

    private static (string, string) EditorConfig(params string[] lines) =>
        ("/src/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", lines) + "\n");

    private static async Task<List<string>> Reported(params (string Path, string Text)[] configs)
    {
        var compilation = ConfiguredCompilation.Create([("/src/C.cs", Source)], configs);
        var diagnostics = await compilation.DiagnosticsAsync([.. AnalyzerCorpusTests.AllAnalyzers()]);
        return diagnostics.Select(ConfiguredCompilation.Describe).Order(StringComparer.Ordinal).ToList();
    }
}
