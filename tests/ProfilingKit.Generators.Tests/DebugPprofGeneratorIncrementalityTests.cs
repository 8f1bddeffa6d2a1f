using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

using ProfilingKit.Testing;

namespace ProfilingKit.Generators.Tests;

/// <summary>
/// The generator runs on every keystroke in the IDE: an edit that leaves the build properties and the runtime
/// reference alone must stop at the first steps and leave the generated file untouched.
/// </summary>
public sealed class DebugPprofGeneratorIncrementalityTests
{
    private static readonly string[] TrackedSteps =
    [
        DebugPprofTrackingNames.BuildSettings,
        DebugPprofTrackingNames.RuntimeReferenced,
        DebugPprofTrackingNames.StartAddress,
        DebugPprofTrackingNames.GcTraceReferenced,
        DebugPprofTrackingNames.GcTraceWanted,
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    [Fact]
    public void Unrelated_edit_reuses_every_step_and_the_generated_file()
    {
        var compilation = CreateApp();
        var driver = CreateDriver(Properties(address: "127.0.0.1:7070")).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        var edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("internal static class Unrelated { }", ParseOptions));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // Settings come from unchanged options: reused as they are. The runtime check must re-run on the new
        // compilation, and yield an equal value, so everything after it is reused too.
        AssertReasons(second, DebugPprofTrackingNames.BuildSettings, IncrementalStepRunReason.Cached);
        AssertReasons(second, DebugPprofTrackingNames.RuntimeReferenced, IncrementalStepRunReason.Unchanged);
        AssertReasons(second, DebugPprofTrackingNames.StartAddress, IncrementalStepRunReason.Cached);
        AssertReasons(second, DebugPprofTrackingNames.GcTraceReferenced, IncrementalStepRunReason.Unchanged);
        AssertReasons(second, DebugPprofTrackingNames.GcTraceWanted, IncrementalStepRunReason.Cached);
        Assert.All(SourceOutputs(second), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(GeneratedText(first), GeneratedText(second));
    }

    [Fact]
    public void Changed_address_produces_a_new_generated_file()
    {
        var compilation = CreateApp();
        var driver = CreateDriver(Properties(address: "127.0.0.1:7070")).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        var second = driver
            .WithUpdatedAnalyzerConfigOptions(new BuildPropertyOptionsProvider(Properties(address: "127.0.0.1:8080")))
            .RunGenerators(compilation)
            .GetRunResult()
            .Results.Single();

        AssertReasons(second, DebugPprofTrackingNames.BuildSettings, IncrementalStepRunReason.Modified);
        AssertReasons(second, DebugPprofTrackingNames.StartAddress, IncrementalStepRunReason.Modified);
        // The gctrace file does not depend on the address: the step re-runs and yields the same value.
        AssertReasons(second, DebugPprofTrackingNames.GcTraceWanted, IncrementalStepRunReason.Unchanged);
        Assert.Contains(SourceOutputs(second), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"127.0.0.1:7070\"", GeneratedText(first), StringComparison.Ordinal);
        Assert.Contains("\"127.0.0.1:8080\"", GeneratedText(second), StringComparison.Ordinal);
    }

    [Fact]
    public void No_step_holds_on_to_compilation_symbols_or_syntax()
    {
        var result = CreateDriver(Properties(address: "")).RunGenerators(CreateApp()).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.All(Outputs(result, step), output => Assert.False(
                output.Value is Compilation or ISymbol or SyntaxNode or SemanticModel,
                $"{step} outputs a {output.Value?.GetType().Name}, which defeats caching"));
        }
    }

    private static Dictionary<string, string> Properties(string address) => new()
    {
        ["EnableDebugPprof"] = "true",
        ["DebugPprofAddress"] = address,
        ["OutputType"] = "Exe",
        ["IsTestProject"] = "",
    };

    private static CSharpCompilation CreateApp() => CSharpCompilation.Create(
        "App",
        [
            CSharpSyntaxTree.ParseText(AppSources.Program, ParseOptions),
            CSharpSyntaxTree.ParseText(AppSources.DebugPprofStub, ParseOptions),
            CSharpSyntaxTree.ParseText(AppSources.GcTraceStub, ParseOptions),
        ],
        NetCoreAppReferences.All,
        new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

    private static GeneratorDriver CreateDriver(Dictionary<string, string> properties) => CSharpGeneratorDriver.Create(
        [new DebugPprofGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        optionsProvider: new BuildPropertyOptionsProvider(properties),
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static void AssertReasons(GeneratorRunResult result, string step, IncrementalStepRunReason expected) =>
        Assert.All(Outputs(result, step), output => Assert.True(
            output.Reason == expected, $"{step}: expected {expected}, was {output.Reason}"));

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out var runs), $"step {step} was not tracked");
        var outputs = runs.SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        return outputs;
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        return outputs;
    }

    private static string GeneratedText(GeneratorRunResult result) =>
        Assert.Single(result.GeneratedSources, source => source.HintName == "ProfilingKit.DebugPprof.g.cs").SourceText.ToString();
}
