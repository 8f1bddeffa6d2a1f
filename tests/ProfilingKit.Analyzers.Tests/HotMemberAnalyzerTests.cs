using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProfilingKit.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// The package runs the hot-member rules (PK1001, PK1003-PK1009) from one analyzer,
/// <see cref="HotMemberAnalyzer"/>. Together they must report what each reports alone, and a rule
/// turned off for a file must not run there, as it would not were it an analyzer of its own.
/// </summary>
public class HotMemberAnalyzerTests
{
    [Fact]
    public void Every_hot_member_rule_is_run_by_the_host_and_none_is_exported_on_its_own()
    {
        var ruleTypes = typeof(HotMemberRule).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(HotMemberRule).IsAssignableFrom(type))
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(8, ruleTypes.Count);
        Assert.Equal(ruleTypes, HotMemberAnalyzer.PackageRules.Select(rule => rule.GetType()).OrderBy(type => type.Name, StringComparer.Ordinal));
        Assert.All(ruleTypes, type => Assert.False(typeof(DiagnosticAnalyzer).IsAssignableFrom(type), $"{type.Name} is a rule the host runs, not an analyzer"));
        Assert.All(ruleTypes, type => Assert.EndsWith("Rule", type.Name, StringComparison.Ordinal));
        Assert.NotNull(typeof(HotMemberAnalyzer).GetCustomAttribute<DiagnosticAnalyzerAttribute>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Together_the_rules_report_exactly_what_each_reports_alone(bool everywhere)
    {
        var compilation = GeneratedCorpus(files: 80);
        var options = everywhere ? new AnalyzerOptions([], new EverywhereOptionsProvider()) : new AnalyzerOptions([]);

        var together = await Diagnostics(compilation, options, [new HotMemberAnalyzer()]);
        var alone = new List<string>();
        foreach (var rule in HotMemberAnalyzer.PackageRules) alone.AddRange(await Diagnostics(compilation, options, [new HotMemberAnalyzer([rule])]));

        Assert.True(together.Count > 300, $"the corpus should give the rules work, got {together.Count} diagnostics");
        Assert.Equal(HotMemberAnalyzer.PackageRules.SelectMany(rule => rule.SupportedDiagnostics).Select(d => d.Id).Order(StringComparer.Ordinal), together.Select(line => line[..6]).Distinct()); // every rule reported something
        Assert.Equal(alone.Order(StringComparer.Ordinal), together);
    }

    [Fact]
    public async Task Both_rules_run_in_both_files_when_nothing_is_configured()
    {
        var (first, second) = await CallsPerRule(options => options);

        Assert.Equal(2, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_rule_with_severity_none_for_one_file_runs_only_in_the_other()
    {
        var (first, second) = await CallsPerRule(options => options.WithSyntaxTreeOptionsProvider(
            new Severities(perFile: new() { [("B.cs", "PK1001")] = ReportDiagnostic.Suppress })));

        Assert.Equal(1, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_rule_with_severity_none_in_a_global_config_does_not_run()
    {
        var (first, second) = await CallsPerRule(options => options.WithSyntaxTreeOptionsProvider(
            new Severities(global: new() { ["PK1001"] = ReportDiagnostic.Suppress })));

        Assert.Equal(0, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_rule_suppressed_by_the_compilation_options_does_not_run()
    {
        var (first, second) = await CallsPerRule(options => options.WithSpecificDiagnosticOptions([new("PK1001", ReportDiagnostic.Suppress)]));

        Assert.Equal(0, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_file_setting_a_rule_suppressed_by_the_compilation_options_back_on_runs_it_there()
    {
        // As the compiler's driver decides for an analyzer: the file's setting wins over /nowarn.
        var (first, _) = await CallsPerRule(options => options
            .WithSpecificDiagnosticOptions([new("PK1001", ReportDiagnostic.Suppress)])
            .WithSyntaxTreeOptionsProvider(new Severities(perFile: new() { [("A.cs", "PK1001")] = ReportDiagnostic.Warn })));

        Assert.Equal(1, first);
    }

    [Fact]
    public async Task Bulk_severity_none_for_the_Performance_category_turns_off_only_the_rules_of_that_category()
    {
        var (first, second) = await CallsPerRule(options => options, new() { ["dotnet_analyzer_diagnostic.category-Performance.severity"] = "none" });

        Assert.Equal(0, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task Bulk_severity_none_for_all_rules_turns_both_off()
    {
        var (first, second) = await CallsPerRule(options => options, new() { ["dotnet_analyzer_diagnostic.severity"] = "none" });

        Assert.Equal(0, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public async Task A_category_setting_beats_the_setting_for_all_rules()
    {
        var (first, second) = await CallsPerRule(options => options, new()
        {
            ["dotnet_analyzer_diagnostic.severity"] = "none",
            ["dotnet_analyzer_diagnostic.category-Performance.severity"] = "warning",
        });

        Assert.Equal(2, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public async Task A_setting_for_the_rule_id_beats_the_bulk_settings()
    {
        var byFile = await CallsPerRule(
            options => options.WithSyntaxTreeOptionsProvider(new Severities(perFile: new() { [("A.cs", "PK1001")] = ReportDiagnostic.Warn })),
            new() { ["dotnet_analyzer_diagnostic.category-Performance.severity"] = "none" });
        var byGlobalConfig = await CallsPerRule(
            options => options.WithSyntaxTreeOptionsProvider(new Severities(global: new() { ["PK1001"] = ReportDiagnostic.Info })),
            new() { ["dotnet_analyzer_diagnostic.severity"] = "none" });
        var byCompilationOptions = await CallsPerRule(
            options => options.WithSpecificDiagnosticOptions([new("PK1001", ReportDiagnostic.Warn)]),
            new() { ["dotnet_analyzer_diagnostic.category-Performance.severity"] = "none" });

        Assert.Equal(1, byFile.First); // A.cs only: in B.cs the category's none applies
        Assert.Equal(2, byGlobalConfig.First);
        Assert.Equal(0, byGlobalConfig.Second);
        Assert.Equal(2, byCompilationOptions.First);
    }

    [Fact]
    public async Task In_a_test_project_the_rules_do_not_run_unless_asked()
    {
        var quiet = await CallsPerRule(options => options, new() { ["build_property.IsTestProject"] = "true" });
        var asked = await CallsPerRule(options => options, new() { ["build_property.IsTestProject"] = "true", ["profilingkit.analyze_test_projects"] = "true" });

        Assert.Equal((0, 0), quiet);
        Assert.Equal((2, 2), asked);
    }

    private static async Task<(int First, int Second)> CallsPerRule(Func<CSharpCompilationOptions, CSharpCompilationOptions> configure, Dictionary<string, string>? editorConfig = null)
    {
        const string Source = """
            class {0}
            {{
                void Run(int[] values)
                {{
                    for (var i = 0; i < values.Length; i++) System.Console.WriteLine(values[i]);
                }}
            }}
            """;
        var trees = new[] { "A", "B" }.Select(name => CSharpSyntaxTree.ParseText(string.Format(CultureInfo.InvariantCulture, Source, name), path: name + ".cs"));
        var compilation = CSharpCompilation.Create("Counting", trees, NetCoreAppReferences.All, configure(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)));
        var first = new CountingRule(CountingRule.First);
        var second = new CountingRule(CountingRule.Second);

        var options = new AnalyzerOptions([], new EditorConfigOptionsProvider(editorConfig ?? []));
        await Diagnostics(compilation, options, [new HotMemberAnalyzer([first, second])]);

        return (first.Calls, second.Calls);
    }

    private static async Task<List<string>> Diagnostics(Compilation compilation, AnalyzerOptions options, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage(CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
    }

    private static CSharpCompilation GeneratedCorpus(int files) =>
        CSharpCompilation.Create(
            "Corpus",
            CorpusSources.Generated(files).Select(source => CSharpSyntaxTree.ParseText(source.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), source.Path)),
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A rule that counts its callbacks (one per invocation in a loop), which shows whether it ran even where what it reports would be filtered out.</summary>
    private sealed class CountingRule(DiagnosticDescriptor descriptor) : HotMemberRule
    {
        // Two of the package's descriptors, so severities configure them as they configure the rules.
        public static readonly DiagnosticDescriptor First = StringConcatenationInLoopRule.Descriptor;
        public static readonly DiagnosticDescriptor Second = DateTimeElapsedAnalyzer.Rule; // category Diagnostics, not Performance
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [descriptor];

        public override HotCodeScope Scope => HotCodeScope.Loops;

        public override ImmutableArray<OperationKind> Kinds => [OperationKind.Invocation];

        public override Action<OperationAnalysisContext> Start(Compilation compilation) => _ => Interlocked.Increment(ref _calls);
    }

    /// <summary>The same .editorconfig keys for every file, such as the bulk severity settings.</summary>
    private sealed class EditorConfigOptionsProvider(Dictionary<string, string> keys) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(keys);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(Dictionary<string, string> keys) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => keys.TryGetValue(key, out value);
        }
    }

    /// <summary>Severities as .editorconfig files (per file) and a global config would set them.</summary>
    private sealed class Severities(
        Dictionary<(string File, string Id), ReportDiagnostic>? perFile = null,
        Dictionary<string, ReportDiagnostic>? global = null) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            (perFile ?? []).TryGetValue((tree.FilePath, diagnosticId), out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            (global ?? []).TryGetValue(diagnosticId, out severity);
    }
}
