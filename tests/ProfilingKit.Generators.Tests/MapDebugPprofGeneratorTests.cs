using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProfilingKit.Testing;
using Xunit;

namespace ProfilingKit.Generators.Tests;

/// <summary>What an ASP.NET Core app gets besides the module initializer: <c>app.MapDebugPprof()</c>, and only it.</summary>
public sealed class MapDebugPprofGeneratorTests
{
    private const string MapDebugPprofHint = "ProfilingKit.MapDebugPprof.g.cs";

    /// <summary>Stands in for ASP.NET Core's routing: the type whose presence marks a web app.</summary>
    private const string RoutingStub = "namespace Microsoft.AspNetCore.Routing { public interface IEndpointRouteBuilder { } }";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    [Fact]
    public void A_web_app_with_EnableDebugPprof_gets_MapDebugPprof_as_an_extension_of_the_routing_builder()
    {
        var generated = Generated(Properties(), web: true);

        var source = Assert.Single(generated, s => s.HintName == MapDebugPprofHint).SourceText.ToString();
        Assert.Contains("public static global::Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapDebugPprof(", source);
        Assert.Contains("this global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints,", source);
        Assert.Contains("ExcludeFromDescription(builder)", source);
        Assert.Contains(generated, s => s.HintName == DebugPprofGeneratorTest.HintName); // sampling still starts at start-up
    }

    [Fact]
    public void A_console_app_gets_no_MapDebugPprof_and_so_needs_nothing_of_ASP_NET_Core() =>
        Assert.DoesNotContain(Generated(Properties(), web: false), s => s.HintName == MapDebugPprofHint);

    [Fact]
    public void Without_EnableDebugPprof_a_web_app_gets_nothing() =>
        Assert.DoesNotContain(Generated(Properties(enable: ""), web: true), s => s.HintName is MapDebugPprofHint or DebugPprofGeneratorTest.HintName);

    [Theory]
    [InlineData("false", "global::ProfilingKit.DebugPprof.Start(new global::ProfilingKit.DebugPprofOptions { Address = \"127.0.0.1:6060\", Listen = false });")]
    [InlineData("", "global::ProfilingKit.DebugPprof.Start(\"127.0.0.1:6060\");")]
    [InlineData("true", "global::ProfilingKit.DebugPprof.Start(\"127.0.0.1:6060\");")]
    public void DebugPprofListener_false_starts_sampling_without_the_standalone_listener(string listener, string expectedCall)
    {
        var initializer = Assert.Single(Generated(Properties(listener: listener), web: true), s => s.HintName == DebugPprofGeneratorTest.HintName).SourceText.ToString();

        Assert.Contains(expectedCall, initializer);
    }

    private static Dictionary<string, string> Properties(string enable = "true", string listener = "") => new()
    {
        ["EnableDebugPprof"] = enable,
        ["DebugPprofAddress"] = "",
        ["DebugPprofListener"] = listener,
        ["OutputType"] = "Exe",
        ["IsTestProject"] = "",
    };

    private static IReadOnlyList<GeneratedSourceResult> Generated(Dictionary<string, string> properties, bool web)
    {
        var sources = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(AppSources.Program, ParseOptions),
            CSharpSyntaxTree.ParseText(AppSources.DebugPprofStub, ParseOptions),
        };
        if (web) sources.Add(CSharpSyntaxTree.ParseText(RoutingStub, ParseOptions));

        var compilation = CSharpCompilation.Create("App", sources, NetCoreAppReferences.All, new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var driver = CSharpGeneratorDriver.Create([new DebugPprofGenerator().AsSourceGenerator()], parseOptions: ParseOptions, optionsProvider: new BuildPropertyOptionsProvider(properties));
        return driver.RunGenerators(compilation).GetRunResult().Results.Single().GeneratedSources;
    }
}
