using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProfilingKit.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// A compilation configured by .editorconfig and global config files the way csc configures one:
/// the files are read by Roslyn's <see cref="AnalyzerConfigSet"/>; per-id severities go to the
/// compilation's syntax-tree options, every other key to the analyzers' options. (The testing
/// library's workspace does not pass the bulk severity keys on to the analyzer driver, so tests of
/// those build their compilation here.)
/// </summary>
internal sealed class ConfiguredCompilation
{
    private ConfiguredCompilation(CSharpCompilation compilation, AnalyzerOptions options)
    {
        Compilation = compilation;
        Options = options;
    }

    public CSharpCompilation Compilation { get; }

    public AnalyzerOptions Options { get; }

    /// <summary><paramref name="configFiles"/>: (path, text) pairs, e.g. ("/src/.editorconfig", ...) or a global config.</summary>
    public static ConfiguredCompilation Create(IEnumerable<(string Path, string Text)> sources, IEnumerable<(string Path, string Text)> configFiles)
    {
        var set = AnalyzerConfigSet.Create(configFiles.Select(file => AnalyzerConfig.Parse(file.Text, file.Path)).ToImmutableArray());
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), source.Path)).ToImmutableArray();
        var results = trees.ToDictionary(tree => tree, tree => set.GetOptionsForSourcePath(tree.FilePath));

        var compilation = CSharpCompilation.Create(
            "Configured",
            trees,
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
                .WithSyntaxTreeOptionsProvider(new TreeOptions(results, set.GlobalConfigOptions)));
        var options = new AnalyzerOptions([], new ConfigOptionsProvider(results, set.GlobalConfigOptions));
        return new ConfiguredCompilation(compilation, options);
    }

    public async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(params DiagnosticAnalyzer[] analyzers)
    {
        var diagnostics = await Compilation.WithAnalyzers([.. analyzers], Options).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics;
    }

    /// <summary>"PK1001 Warning (6,37)": what a build log says of each diagnostic.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        return string.Create(CultureInfo.InvariantCulture, $"{diagnostic.Id} {diagnostic.Severity} ({start.Line + 1},{start.Character + 1})");
    }

    private sealed class TreeOptions(Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> results, AnalyzerConfigOptionsResult global) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            results[tree].TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            global.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    private sealed class ConfigOptionsProvider(Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> results, AnalyzerConfigOptionsResult global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global.AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(results[tree].AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
