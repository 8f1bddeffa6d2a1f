using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Test code is not a product's hot path: in a test project (MSBuild's <c>IsTestProject</c> or
/// <c>IsTestingPlatformApplication</c>, which the package makes visible to the compiler) the
/// allocation rules PK1001-PK1009 stay quiet, unless a file asks for them with
/// <c>profilingkit.analyze_test_projects = true</c> (.editorconfig or a global config).
/// </summary>
internal static class TestProjects
{
    public const string AnalyzeTestProjectsKey = "profilingkit.analyze_test_projects";

    /// <summary>The project is a test project: read once per compilation, from the build properties.</summary>
    public static bool IsTestProject(AnalyzerOptions options) =>
        ConfigOptions.IsTrue(options.AnalyzerConfigOptionsProvider.GlobalOptions, "build_property.IsTestProject")
        || ConfigOptions.IsTrue(options.AnalyzerConfigOptionsProvider.GlobalOptions, "build_property.IsTestingPlatformApplication");

    /// <summary>In a test project, whether <paramref name="tree"/> asks for the allocation rules.</summary>
    public static bool AsksForRules(AnalyzerOptions options, SyntaxTree tree) => ConfigOptions.IsOn(options, tree, AnalyzeTestProjectsKey);
}
