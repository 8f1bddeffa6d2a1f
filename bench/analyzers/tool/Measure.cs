using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AnalyzerBench;

/// <summary>
/// In-process measurement, steadier than whole builds on a busy machine: compiles the corpus
/// (binding + emit to memory) and runs each analyzer package through CompilationWithAnalyzers with
/// execution-time telemetry, on a fresh compilation per round, so the ratio analyzer time / compiler
/// time comes from one process and one run. The first round (JIT of the analyzers) is reported apart.
/// </summary>
internal static class Measure
{
    public static int Run(string corpusDir, int rounds, IReadOnlyList<string> analyzerPaths)
    {
        // A real code base (docs/benchmarks/analyzers.md) is measured as its own build compiles it:
        //   MEASURE_DEFINES=A;B          its preprocessor symbols
        //   MEASURE_REFERENCES=dir:dir   folders of the DLLs it references, besides the .NET 10 reference pack
        //   MEASURE_LANGVERSION=9.0      its C# version (default: latest)
        //   MEASURE_IMPLICIT_USINGS=0    without the SDK's implicit global usings (default: with them)
        //   MEASURE_EXCLUDE=obj:bin:Tests  path parts whose files are not part of it
        //   MEASURE_EXTRA_SOURCES=file:file  more files of it (its project's global usings, say)
        //   MEASURE_DIAGNOSTICS=file     writes every diagnostic of the last round (package, id, severity, file:line, message)
        var parseOptions = CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersionFacts.TryParse(Environment.GetEnvironmentVariable("MEASURE_LANGVERSION") ?? "latest", out var version) ? version : LanguageVersion.Latest)
            .WithPreprocessorSymbols(Split(Environment.GetEnvironmentVariable("MEASURE_DEFINES"), ';'));
        var excluded = Split(Environment.GetEnvironmentVariable("MEASURE_EXCLUDE") ?? "obj:bin", ':');
        var references = ReferencePack().AddRange(Split(Environment.GetEnvironmentVariable("MEASURE_REFERENCES"), ':')
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.dll"))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)));
        var sources = Directory.EnumerateFiles(corpusDir, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(corpusDir, path).Split(Path.DirectorySeparatorChar).Any(part => excluded.Contains(part)))
            .Order(StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path));
        sources = sources.Concat(Split(Environment.GetEnvironmentVariable("MEASURE_EXTRA_SOURCES"), ':').Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path)));
        if (Environment.GetEnvironmentVariable("MEASURE_IMPLICIT_USINGS") != "0") sources = sources.Append(CSharpSyntaxTree.ParseText(GlobalUsings, parseOptions, "GlobalUsings.cs"));
        var trees = sources.ToImmutableArray();
        var diagnosticsFile = Environment.GetEnvironmentVariable("MEASURE_DIAGNOSTICS");
        var lastDiagnostics = new List<string>();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release, concurrentBuild: false);
        Compilation NewCompilation() => CSharpCompilation.Create("Corpus", trees, references, options);

        var packages = analyzerPaths.Select(path => (Name: path.StartsWith("probe:") ? path : $"{Path.GetFileName(Path.GetDirectoryName(path.Split('@')[0]))}/{Path.GetFileName(path)}", Analyzers: LoadAnalyzers(path))).ToList();
        var compileTimes = new List<double>();
        var packageTimes = packages.ToDictionary(p => p.Name, _ => new List<double>());
        var perAnalyzer = new Dictionary<string, List<double>>();
        var diagnosticsCount = new Dictionary<string, int>();
        var cpuTimes = new Dictionary<string, List<double>>();
        var compileCpuTimes = new List<double>();

        for (var round = 0; round <= rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            var compileCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var compilation = NewCompilation();
            var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            using (var pe = new MemoryStream()) compilation.Emit(pe);
            var compile = stopwatch.Elapsed.TotalSeconds;
            if (round > 0) compileCpuTimes.Add((Process.GetCurrentProcess().TotalProcessorTime - compileCpuBefore).TotalSeconds);
            if (errors > 0) Console.Error.WriteLine($"warning: the corpus has {errors} compile errors, such as: " + string.Join(" | ", compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3)));
            if (round > 0) compileTimes.Add(compile);

            foreach (var (name, analyzers) in packages)
            {
                var withAnalyzers = NewCompilation().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions([]), (e, a, d) => Console.Error.WriteLine($"{a}: {e.Message}"), concurrentAnalysis: Environment.GetEnvironmentVariable("MEASURE_CONCURRENT") == "1", logAnalyzerExecutionTime: true));
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                Console.Error.WriteLine($"  {name}: CPU of the whole analysis (binding included) {cpu:F2} s");
                if (round > 0) (cpuTimes.TryGetValue(name, out var cpuList) ? cpuList : cpuTimes[name] = []).Add(cpu);
                diagnosticsCount[name] = diagnostics.Length;
                if (round == rounds && diagnosticsFile is not null)
                {
                    lastDiagnostics.AddRange(diagnostics.Select(d => $"{name}\t{d.Id}\t{d.Severity}\t{Path.GetRelativePath(corpusDir, d.Location.SourceTree?.FilePath ?? "?")}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}\t{d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
                }

                var total = 0.0;
                foreach (var analyzer in analyzers)
                {
                    var seconds = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalSeconds;
                    total += seconds;
                    if (round > 0) (perAnalyzer.TryGetValue(Key(name, analyzer), out var list) ? list : perAnalyzer[Key(name, analyzer)] = []).Add(seconds);
                }

                Console.Error.WriteLine($"round {round}{(round == 0 ? " (cold)" : "")}: compile {compile:F2} s, {name} {total:F2} s ({100 * total / compile:F1}%), {diagnostics.Length} diagnostics");
                if (round > 0) packageTimes[name].Add(total);
            }
        }

        if (diagnosticsFile is not null) File.WriteAllLines(diagnosticsFile, lastDiagnostics.Order(StringComparer.Ordinal));

        var compileMedian = Median(compileTimes);
        Console.WriteLine($"| package | analyzer time (median of {rounds} warm rounds) | / compiler time ({compileMedian:F2} s) | diagnostics |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, _) in packages)
        {
            var median = Median(packageTimes[name]);
            Console.WriteLine($"| {name} | {median:F3} s | {100 * median / compileMedian:F1}% | {diagnosticsCount[name]} |");
        }

        Console.WriteLine();
        Console.WriteLine($"CPU (medians): compile {Median(compileCpuTimes):F2} s; whole analysis (binding included): " + string.Join(", ", cpuTimes.Select(p => $"{p.Key} {Median(p.Value):F2} s")));
        Console.WriteLine();
        foreach (var (key, times) in perAnalyzer.OrderByDescending(p => Median(p.Value)).Take(20))
        {
            Console.WriteLine($"- {key}: {Median(times):F3} s");
        }

        return 0;
    }

    private static string Key(string package, DiagnosticAnalyzer analyzer) => $"{package} {analyzer.GetType().Name}";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadAnalyzers(string path)
    {
        if (path == "probe:operation") return [new Probes.OperationTreesEverywhere()];
        if (path == "probe:loops") return [new Probes.OperationTreesAtLoops()];
        // dll@Name1,Name2 keeps only the analyzers of those type names; dll#Category only those with a rule of that category.
        var category = path.Contains('#') ? path[(path.IndexOf('#') + 1)..] : null;
        if (category is not null) path = path[..path.IndexOf('#')];
        var only = path.Contains('@') ? path[(path.IndexOf('@') + 1)..].Split(',') : null;
        if (only is not null) path = path[..path.IndexOf('@')];
        var assembly = new AnalyzerLoadContext(Path.GetFullPath(path)).LoadFromAssemblyPath(Path.GetFullPath(path));
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }

        return types
            .Where(t => only is null || only.Contains(t.Name))
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Where(a => category is null || a.SupportedDiagnostics.Any(d => d.Category == category))
            .ToImmutableArray();
    }

    private static string[] Split(string? list, char separator) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ImmutableArray<MetadataReference> ReferencePack()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // .../shared/Microsoft.NETCore.App/10.0.x
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var pack = Directory.EnumerateDirectories(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref")).Order().Last();
        return Directory.EnumerateFiles(Path.Combine(pack, "ref", "net10.0"), "*.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;
}

/// <summary>One context per analyzer file, so two builds of the same assembly can be compared in one run; Roslyn itself comes from the default context.</summary>
internal sealed class AnalyzerLoadContext(string path) : System.Runtime.Loader.AssemblyLoadContext(path)
{
    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.Name.StartsWith("System.", StringComparison.Ordinal)) return null;
        var sibling = Path.Combine(Path.GetDirectoryName(path)!, name.Name + ".dll");
        return File.Exists(sibling) ? LoadFromAssemblyPath(sibling) : null;
    }
}
