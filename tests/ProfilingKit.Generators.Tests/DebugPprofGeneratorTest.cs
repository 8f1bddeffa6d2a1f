using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

using ProfilingKit.Testing;

namespace ProfilingKit.Generators.Tests;

/// <summary>
/// One run of <see cref="DebugPprofGenerator"/> over an app with the given build properties, checked by
/// Microsoft.CodeAnalysis.Testing: the generated files must be exactly the expected ones, and the app plus the
/// generated code must compile without warnings.
/// </summary>
internal sealed class DebugPprofGeneratorTest : CSharpSourceGeneratorTest<DebugPprofGenerator, DefaultVerifier>
{
    public const string HintName = "ProfilingKit.DebugPprof.g.cs";

    /// <param name="enableDebugPprof">Property values; an empty string is what the compiler sees for a property the project does not set.</param>
    public DebugPprofGeneratorTest(
        string enableDebugPprof = "true",
        string outputType = "Exe",
        string debugPprofAddress = "",
        string isTestProject = "",
        string isTestingPlatformApplication = "",
        bool referencesRuntime = true)
    {
        // No reference assembly package: the pack the test project compiled against is added directly.
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(NetCoreAppReferences.All);
        CompilerDiagnostics = CompilerDiagnostics.Warnings;

        var isApplication = string.Equals(outputType, "Exe", StringComparison.OrdinalIgnoreCase)
            || string.Equals(outputType, "WinExe", StringComparison.OrdinalIgnoreCase);
        TestState.OutputKind = isApplication ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        if (isApplication)
        {
            TestState.Sources.Add(("Program.cs", AppSources.Program));
        }

        if (referencesRuntime)
        {
            TestState.Sources.Add(("DebugPprof.cs", AppSources.DebugPprofStub));
        }

        TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"""
            is_global = true
            build_property.EnableDebugPprof = {enableDebugPprof}
            build_property.DebugPprofAddress = {debugPprofAddress}
            build_property.OutputType = {outputType}
            build_property.IsTestProject = {isTestProject}
            build_property.IsTestingPlatformApplication = {isTestingPlatformApplication}
            """));

        // New apps enable nullable; the generated file must not add warnings there.
        SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(NullableContextOptions.Enable));
        });
    }

    public DebugPprofGeneratorTest ExpectingModuleInitializer(string expectedSource)
    {
        TestState.GeneratedSources.Add((typeof(DebugPprofGenerator), HintName, SourceText.From(expectedSource, Encoding.UTF8)));
        return this;
    }
}
