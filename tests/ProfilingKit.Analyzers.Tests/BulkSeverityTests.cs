using Microsoft.CodeAnalysis;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// The bulk severity settings reach the rules from an .editorconfig or a global config, with Roslyn's
/// precedence: a setting for the rule's id beats its category's (Performance: every PK1xxx rule but
/// PK1101; Diagnostics: PK1101 and PK2xxx), which beats the setting for all rules. That a rule turned
/// off this way does not even run is <see cref="HotMemberAnalyzerTests"/>'; here, what a build reports.
/// </summary>
public class BulkSeverityTests
{
    private const string Source = """
        using System.Text;

        class C
        {
            string Join(string[] parts)
            {
                var text = "";
                foreach (var part in parts) text += part;
                return text;
            }

            string Describe(int count) => new StringBuilder().Append(count.ToString()).ToString();
        }
        """;

    // PK1001 (a warning) in the loop; PK1002 outside hot code, a suggestion.
    private const string Concatenation = "PK1001 Warning (8,37)";
    private const string TemporaryString = "PK1002 Info (12,62)";

    [Fact]
    public async Task Without_settings_the_rules_report_at_their_default_severities() =>
        Assert.Equal([Concatenation, TemporaryString], await Reported(EditorConfig()));

    [Theory]
    [InlineData("dotnet_analyzer_diagnostic.category-Performance.severity = none")]
    [InlineData("dotnet_analyzer_diagnostic.severity = none")]
    public async Task A_bulk_none_in_an_editorconfig_silences_the_rules(string setting) =>
        Assert.Empty(await Reported(EditorConfig(setting)));

    [Fact]
    public async Task A_bulk_none_in_a_global_config_silences_the_rules() =>
        Assert.Empty(await Reported(GlobalConfig("dotnet_analyzer_diagnostic.category-Performance.severity = none")));

    [Fact]
    public async Task A_bulk_none_for_another_category_leaves_the_rules_alone() =>
        Assert.Equal([Concatenation, TemporaryString], await Reported(EditorConfig("dotnet_analyzer_diagnostic.category-Diagnostics.severity = none")));

    [Theory]
    [InlineData("dotnet_analyzer_diagnostic.category-Performance.severity = warning", "Warning")]
    [InlineData("dotnet_analyzer_diagnostic.severity = error", "Error")]
    public async Task A_bulk_warning_or_error_raises_every_rule_of_it(string setting, string severity) =>
        Assert.Equal([$"PK1001 {severity} (8,37)", $"PK1002 {severity} (12,62)"], await Reported(EditorConfig(setting)));

    [Fact]
    public async Task The_rule_id_setting_beats_the_category_setting() =>
        Assert.Equal(["PK1001 Error (8,37)"], await Reported(EditorConfig(
            "dotnet_analyzer_diagnostic.category-Performance.severity = none",
            "dotnet_diagnostic.PK1001.severity = error")));

    [Fact]
    public async Task The_category_setting_beats_the_setting_for_all_rules() =>
        Assert.Equal(["PK1001 Warning (8,37)", "PK1002 Warning (12,62)"], await Reported(EditorConfig(
            "dotnet_analyzer_diagnostic.severity = none",
            "dotnet_analyzer_diagnostic.category-Performance.severity = warning")));

    private static (string, string) EditorConfig(params string[] lines) =>
        ("/src/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", lines) + "\n");

    private static (string, string) GlobalConfig(params string[] lines) =>
        ("/src/.globalconfig", "is_global = true\n" + string.Join("\n", lines) + "\n");

    private static async Task<List<string>> Reported((string Path, string Text) config)
    {
        var compilation = ConfiguredCompilation.Create([("/src/C.cs", Source)], [config]);
        var diagnostics = await compilation.DiagnosticsAsync(new HotMemberAnalyzer(), new TemporaryStringInStringBuilderAnalyzer());
        return diagnostics.Select(ConfiguredCompilation.Describe).Order(StringComparer.Ordinal).ToList();
    }
}
