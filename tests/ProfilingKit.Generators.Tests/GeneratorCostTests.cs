using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

using ProfilingKit.Testing;

namespace ProfilingKit.Generators.Tests;

/// <summary>
/// Where its output is not wanted the generator reads the build properties and nothing else: it
/// never makes the compiler bind the compilation's references, which a type lookup does (and which,
/// in a build, the generator would be the first to pay for). A reference that throws when its
/// metadata is read shows whether anything bound them.
/// </summary>
public sealed class GeneratorCostTests
{
    [Theory]
    [InlineData("")]
    [InlineData("false")]
    [InlineData("true")] // a library has no start-up to hook, wanted or not
    public void A_library_binds_nothing(string enableDebugPprof)
    {
        var result = Run(OutputKind.DynamicallyLinkedLibrary, new() { ["EnableDebugPprof"] = enableDebugPprof, ["OutputType"] = "Library" });

        Assert.Null(result.Exception);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void The_endpoint_in_an_app_looks_the_runtime_up()
    {
        // The control: where output is wanted, the lookup runs and reaches the reference.
        var result = Run(OutputKind.ConsoleApplication, new() { ["EnableDebugPprof"] = "true", ["OutputType"] = "Exe" });

        Assert.IsType<ReferenceReadException>(result.Exception);
    }

    private static GeneratorRunResult Run(OutputKind kind, Dictionary<string, string> properties)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Project",
            [CSharpSyntaxTree.ParseText("public static class Library { public static void Main() { } }", parseOptions)],
            [.. NetCoreAppReferences.All, new ThrowingReference()],
            new CSharpCompilationOptions(kind));
        var driver = CSharpGeneratorDriver.Create(
            [new DebugPprofGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            optionsProvider: new BuildPropertyOptionsProvider(properties));
        return driver.RunGenerators(compilation).GetRunResult().Results.Single();
    }

    private sealed class ReferenceReadException() : Exception("the compilation's references were bound");

    /// <summary>A reference whose metadata cannot be read: binding the compilation's references throws.</summary>
    private sealed class ThrowingReference() : PortableExecutableReference(MetadataReferenceProperties.Assembly, "/never/read.dll")
    {
        protected override DocumentationProvider CreateDocumentationProvider() => DocumentationProvider.Default;

        protected override Metadata GetMetadataImpl() => throw new ReferenceReadException();

        protected override PortableExecutableReference WithPropertiesImpl(MetadataReferenceProperties properties) => this;
    }
}
