using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProfilingKit.Testing;
using Xunit;

namespace ProfilingKit.Generators.Tests;

/// <summary>
/// A profiled test project gets one per-test hook for each test framework it references, which labels
/// the test's samples with its name; nothing else gets any. The frameworks and the runtime stand in as
/// stubs of the types the generator looks for (the fresh projects of the end-to-end tests build the real ones).
/// </summary>
public sealed class TestLabelsGeneratorTests
{
    private const string HintName = "ProfilingKit.TestLabels.g.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private const string ProfileLabelsStub = "namespace ProfilingKit { public static class ProfileLabels { } }";
    private const string XunitV2Stub = "namespace Xunit.Sdk { public abstract class BeforeAfterTestAttribute : System.Attribute { } }";
    private const string XunitV3Stub = "namespace Xunit.v3 { public abstract class BeforeAfterTestAttribute : System.Attribute { } }";
    private const string NUnitStub = "namespace NUnit.Framework { public interface ITestAction { } }";
    private const string MSTestStub = "namespace Microsoft.VisualStudio.TestTools.UnitTesting { public sealed class GlobalTestInitializeAttribute : System.Attribute { } }";

    [Fact]
    public void Each_referenced_framework_gets_its_hook_and_only_those()
    {
        var source = Assert.Single(Generated(TestProject(), ProfileLabelsStub, XunitV2Stub, NUnitStub), s => s.HintName == HintName).SourceText.ToString();

        Assert.Contains("[assembly: global::ProfilingKit.Generated.ProfilingKitXunitTestLabelsAttribute]", source);
        Assert.Contains(": global::Xunit.Sdk.BeforeAfterTestAttribute", source);
        Assert.Contains("[assembly: global::ProfilingKit.Generated.ProfilingKitNUnitTestLabelsAttribute]", source);
        Assert.Contains("global::ProfilingKit.ProfileLabels.Set(\"test\", test)", source);
        Assert.DoesNotContain("Xunit.v3", source);
        Assert.DoesNotContain("GlobalTestInitialize", source);
    }

    [Fact]
    public void Xunit_v3_takes_the_place_of_v2_and_MSTest_gets_a_global_test_initialize()
    {
        var source = Assert.Single(Generated(TestProject(), ProfileLabelsStub, XunitV2Stub, XunitV3Stub, MSTestStub), s => s.HintName == HintName).SourceText.ToString();

        Assert.Contains(": global::Xunit.v3.BeforeAfterTestAttribute", source);
        Assert.DoesNotContain(": global::Xunit.Sdk.BeforeAfterTestAttribute", source);
        Assert.Contains("[global::Microsoft.VisualStudio.TestTools.UnitTesting.GlobalTestInitialize]", source);
    }

    [Theory]
    [InlineData("", "true")] // EnableDebugPprof off
    [InlineData("true", "")] // not a test project: an app gets the endpoint instead
    public void Only_a_profiled_test_project_gets_hooks(string enable, string isTestProject) =>
        Assert.DoesNotContain(Generated(TestProject(enable, isTestProject), ProfileLabelsStub, XunitV2Stub), s => s.HintName == HintName);

    [Fact]
    public void Without_the_runtime_library_there_is_nothing_to_label_with() =>
        Assert.DoesNotContain(Generated(TestProject(), XunitV2Stub, NUnitStub), s => s.HintName == HintName);

    private static Dictionary<string, string> TestProject(string enable = "true", string isTestProject = "true") => new()
    {
        ["EnableDebugPprof"] = enable,
        ["DebugPprofAddress"] = "",
        ["OutputType"] = "Library",
        ["IsTestProject"] = isTestProject,
    };

    private static IReadOnlyList<GeneratedSourceResult> Generated(Dictionary<string, string> properties, params string[] stubs)
    {
        var compilation = CSharpCompilation.Create(
            "Tests",
            stubs.Select(stub => CSharpSyntaxTree.ParseText(stub, ParseOptions)),
            NetCoreAppReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create([new DebugPprofGenerator().AsSourceGenerator()], parseOptions: ParseOptions, optionsProvider: new BuildPropertyOptionsProvider(properties));
        return driver.RunGenerators(compilation).GetRunResult().Results.Single().GeneratedSources;
    }
}
