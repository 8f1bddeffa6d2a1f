using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ProfilingKit.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Every rule runs over a large corpus (the repository's sources plus generated code with every
/// pattern the rules look at, valid or not) without throwing: no AD0001, no analyzer exception.
/// </summary>
public class AnalyzerCorpusTests
{
    [Fact]
    public async Task No_rule_throws_on_the_repository_and_a_generated_corpus()
    {
        var sources = CorpusSources.Repository(RepositoryRoot()).Concat(CorpusSources.Generated(files: 400)).ToList();
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), source.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            "Corpus",
            trees,
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var (diagnostics, exceptions) = await AnalyzeEverywhere(compilation);

        Assert.True(trees.Sum(tree => tree.GetText().Lines.Count) > 50_000, "the corpus should be large");
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        Assert.Contains(diagnostics, diagnostic => diagnostic.Id.StartsWith("PK", StringComparison.Ordinal)); // the rules did run
    }

    /// <summary>
    /// The rules look their types up on first use (Core/CompilationLookups.cs); without a core library
    /// there are none to find, and no rule may throw for it.
    /// </summary>
    [Fact]
    public async Task Without_a_core_library_no_rule_throws()
    {
        // Calls to the code's own methods bind even without a core library, so the rules' callbacks run.
        const string OwnCalls = """
            class Own
            {
                static int Twice(int x) => x + x;
                static string Label(object value, params object[] rest) => "";
                void Run(int[] values, System.Collections.Generic.List<int> list, string text)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        Twice(i);
                        Label(i, i, text);
                        text += Label(values[i]);
                        System.Func<int> f = () => i;
                        foreach (var item in list.Where(v => v > i).ToList()) Twice(item);
                    }
                }
            }
            """;
        var trees = CorpusSources.Generated(files: 20).Append((Path: "Own.cs", Text: OwnCalls))
            .Select(source => CSharpSyntaxTree.ParseText(source.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), source.Path))
            .ToList();
        var compilation = CSharpCompilation.Create("NoCoreLibrary", trees, references: [], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var (diagnostics, exceptions) = await AnalyzeEverywhere(compilation);

        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0518"); // System.Object is not defined
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        Assert.Contains(diagnostics, diagnostic => diagnostic.Id == "PK1006"); // the rules' callbacks did run: the params array is still an array
    }

    /// <summary>
    /// The rules share state across the driver's threads (Core/HotCodeGate.cs: which rules are on in
    /// each file; Core/CompilationLookups.cs: the types they look up); the answer must not depend on it.
    /// </summary>
    [Fact]
    public async Task Concurrent_analysis_reports_exactly_what_sequential_analysis_reports()
    {
        var trees = CorpusSources.Generated(files: 150)
            .Select(source => CSharpSyntaxTree.ParseText(source.Text, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), source.Path))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "Corpus",
            trees,
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        async Task<List<string>> Analyze(bool concurrent)
        {
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(AllAnalyzers(), options).GetAnalyzerDiagnosticsAsync();
            return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").Order(StringComparer.Ordinal).ToList();
        }

        var sequential = await Analyze(concurrent: false);
        var concurrent = await Analyze(concurrent: true);

        Assert.True(sequential.Count > 100, "the corpus should give the rules work");
        Assert.Equal(sequential, concurrent);
    }

    /// <summary>Every rule over <paramref name="compilation"/>, reporting outside hot places too, concurrently; the analyzer exceptions are collected, not thrown.</summary>
    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<string> Exceptions)> AnalyzeEverywhere(Compilation compilation)
    {
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new EverywhereOptionsProvider()),
            onAnalyzerException: (exception, analyzer, diagnostic) =>
            {
                lock (exceptions) exceptions.Add($"{analyzer.GetType().Name}: {exception}");
            },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers(), options).GetAnalyzerDiagnosticsAsync();
        return (diagnostics, exceptions);
    }

    internal static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProfilingKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("ProfilingKit.sln not found above " + AppContext.BaseDirectory);
    }
}
