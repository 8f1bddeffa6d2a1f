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
        Assert.Equal(ruleTypes, HotMemberAnalyzer.Rules.Select(rule => rule.GetType()).OrderBy(type => type.Name, StringComparer.Ordinal));
        Assert.All(ruleTypes, type => Assert.Null(type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()));
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
        foreach (var rule in HotMemberAnalyzer.Rules) alone.AddRange(await Diagnostics(compilation, options, [rule]));

        Assert.True(together.Count > 300, $"the corpus should give the rules work, got {together.Count} diagnostics");
        Assert.Equal(HotMemberAnalyzer.Rules.SelectMany(rule => rule.SupportedDiagnostics).Select(d => d.Id).Order(StringComparer.Ordinal), together.Select(line => line[..6]).Distinct()); // every rule reported something
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
            new Severities(perFile: new() { [("B.cs", "PKT001")] = ReportDiagnostic.Suppress })));

        Assert.Equal(1, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_rule_with_severity_none_in_a_global_config_does_not_run()
    {
        var (first, second) = await CallsPerRule(options => options.WithSyntaxTreeOptionsProvider(
            new Severities(global: new() { ["PKT001"] = ReportDiagnostic.Suppress })));

        Assert.Equal(0, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_rule_suppressed_by_the_compilation_options_does_not_run()
    {
        var (first, second) = await CallsPerRule(options => options.WithSpecificDiagnosticOptions([new("PKT001", ReportDiagnostic.Suppress)]));

        Assert.Equal(0, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task A_file_setting_a_rule_suppressed_by_the_compilation_options_back_on_runs_it_there()
    {
        // As the compiler's driver decides for an analyzer: the file's setting wins over /nowarn.
        var (first, _) = await CallsPerRule(options => options
            .WithSpecificDiagnosticOptions([new("PKT001", ReportDiagnostic.Suppress)])
            .WithSyntaxTreeOptionsProvider(new Severities(perFile: new() { [("A.cs", "PKT001")] = ReportDiagnostic.Warn })));

        Assert.Equal(1, first);
    }

    private static async Task<(int First, int Second)> CallsPerRule(Func<CSharpCompilationOptions, CSharpCompilationOptions> configure)
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
        var first = new CountingRule("PKT001");
        var second = new CountingRule("PKT002");

        await Diagnostics(compilation, new AnalyzerOptions([]), [new TwoRules(first, second)]);

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

#pragma warning disable RS1001, RS1017 // test analyzers: run by the tests directly, never loaded by a compiler; ids chosen per test

    /// <summary>A rule that counts its callbacks (one per invocation in a loop), which shows whether it ran even where what it reports would be filtered out.</summary>
    private sealed class CountingRule(string id) : HotMemberRule
    {
        private readonly DiagnosticDescriptor _descriptor = new(id, "Counting", "Counting", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [_descriptor];

        internal override HotCodeScope Scope => HotCodeScope.Loops;

        internal override ImmutableArray<OperationKind> Kinds => [OperationKind.Invocation];

        internal override Action<OperationAnalysisContext> Start(Compilation compilation) => _ => Interlocked.Increment(ref _calls);
    }

    /// <summary>Two rules hosted as one analyzer, as <see cref="HotMemberAnalyzer"/> hosts the package's.</summary>
    private sealed class TwoRules(CountingRule first, CountingRule second) : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [.. first.SupportedDiagnostics, .. second.SupportedDiagnostics];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            HotCodeGate.Register(context, [first, second]);
        }
    }

#pragma warning restore RS1001, RS1017

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
