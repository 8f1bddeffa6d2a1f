using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>PK2001 reads build properties: each test passes them as MSBuild would, in a global analyzer config.</summary>
public class DebugPprofExposureTests
{
    /// <summary>Stands in for the runtime library's entry point, which the generator calls.</summary>
    private const string RuntimeStub = "namespace ProfilingKit { public static class DebugPprof { } }";

    private const string App = "build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\n";

    public static TheoryData<string> NonLoopbackAddresses() => new() { ":6060", "0.0.0.0:6060", "*:6060", "+:6060", "[::]:6060", "192.168.1.20:6060", "profiler.internal:6060" };

    public static TheoryData<string> LoopbackAddresses() => new() { "", "127.0.0.1:6060", "127.8.9.10:7000", "localhost:6060", "LocalHost:1", "[::1]:6060" };

    [Theory]
    [MemberData(nameof(NonLoopbackAddresses))]
    public Task A_non_loopback_address_is_reported_in_any_configuration(string address) => Verify(
        optimized: false,
        App + $"build_property.DebugPprofAddress = {address}\n",
        Expected($"and DebugPprofAddress '{address}' is not a loopback address: other machines can read the profiles; bind 127.0.0.1 or localhost"));

    [Theory]
    [MemberData(nameof(LoopbackAddresses))]
    public Task A_loopback_address_in_a_debug_build_is_not_reported(string address) => Verify(
        optimized: false,
        App + $"build_property.DebugPprofAddress = {address}\n");

    [Fact]
    public Task An_optimized_build_is_reported_with_the_address_it_starts_on() => Verify(
        optimized: true,
        App + "build_property.DebugPprofAddress = \n",
        Expected("in an optimized (Release) build: the /debug/pprof/ endpoint ships and starts on '127.0.0.1:6060'; enable it for Debug only"));

    [Fact]
    public Task An_optimized_build_on_a_non_loopback_address_gets_one_diagnostic_naming_both() => Verify(
        optimized: true,
        App + "build_property.DebugPprofAddress = 0.0.0.0:6060\n",
        Expected("in an optimized (Release) build, and DebugPprofAddress '0.0.0.0:6060' is not a loopback address: other machines can read the profiles; enable it for Debug only, on 127.0.0.1"));

    [Fact]
    public Task It_is_reported_once_per_compilation_however_many_files() => Verify(
        optimized: true,
        App,
        new[] { "class A { }", "class B { }", "class D { }" },
        Expected("in an optimized (Release) build: the /debug/pprof/ endpoint ships and starts on '127.0.0.1:6060'; enable it for Debug only"));

    [Theory]
    [InlineData("build_property.EnableDebugPprof = false\nbuild_property.OutputType = Exe\n")]
    [InlineData("build_property.EnableDebugPprof = \nbuild_property.OutputType = Exe\n")]
    [InlineData("build_property.OutputType = Exe\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Library\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\nbuild_property.IsTestProject = true\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\nbuild_property.IsTestingPlatformApplication = true\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\nbuild_property.DebugPprofAddress = off\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\nbuild_property.DebugPprofAddress = 6060\n")]
    [InlineData("build_property.EnableDebugPprof = true\nbuild_property.OutputType = Exe\nbuild_property.DebugPprofAddress = ::1:6060\n")]
    public Task Nothing_is_reported_when_the_generator_starts_no_endpoint(string properties) => Verify(
        optimized: true,
        properties + (properties.Contains("DebugPprofAddress") ? "" : "build_property.DebugPprofAddress = 0.0.0.0:6060\n"));

    [Fact]
    public async Task Nothing_is_reported_without_the_runtime_library()
    {
        var test = new AnalyzerTest<DebugPprofExposureAnalyzer, EmptyCodeFixProvider>("class Program { }");
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + App + "build_property.DebugPprofAddress = 0.0.0.0:6060\n"));
        await test.RunAsync();
    }

    /// <summary>Stands in for what the generator emits into an ASP.NET Core app, and for ASP.NET Core's builders.</summary>
    private const string WebStubs = """
        namespace Microsoft.AspNetCore.Builder
        {
            public interface IEndpointConventionBuilder { }
            public interface IEndpointRouteBuilder { }
            public sealed class RouteGroupBuilder : IEndpointRouteBuilder, IEndpointConventionBuilder { }
            public static class AuthorizationEndpointConventionBuilderExtensions
            {
                public static TBuilder RequireAuthorization<TBuilder>(this TBuilder builder, params string[] policyNames) where TBuilder : IEndpointConventionBuilder => builder;
            }
            public static class RouteGroups
            {
                public static RouteGroupBuilder MapGroup(this IEndpointRouteBuilder endpoints, string prefix) => new RouteGroupBuilder();
            }
            internal static class ProfilingKitDebugPprofEndpointRouteBuilderExtensions
            {
                public static IEndpointConventionBuilder MapDebugPprof(this IEndpointRouteBuilder endpoints, string pattern = "/debug/pprof") => null!;
            }
        }
        """;

    private const string WebApp = App + "build_property.DebugPprofListener = false\n";

    [Fact]
    public Task A_map_debug_pprof_without_authorization_in_an_optimized_build_is_reported_where_it_is() => Verify(
        optimized: true,
        WebApp,
        [WebStubs, "using Microsoft.AspNetCore.Builder; static class Startup { static void Map(IEndpointRouteBuilder app) { {|#0:app.MapDebugPprof()|}; } }"],
        Expected("and MapDebugPprof() requires no authorization in an optimized (Release) build: anyone who can reach the app can read the profiles; add .RequireAuthorization(...) to it or to its group").WithLocation(0));

    [Theory]
    [InlineData("app.MapDebugPprof().RequireAuthorization();")]
    [InlineData("app.MapDebugPprof(\"/admin/pprof\").RequireAuthorization(\"admins\");")]
    [InlineData("app.MapGroup(\"/admin\").RequireAuthorization().MapDebugPprof();")]
    [InlineData("var group = app.MapGroup(\"/ops\"); group.MapDebugPprof();")] // no authorization, but the build is not optimized
    public Task A_map_debug_pprof_that_requires_authorization_or_in_a_debug_build_is_not_reported(string statement) => Verify(
        optimized: !statement.StartsWith("var group", StringComparison.Ordinal),
        WebApp,
        [WebStubs, "using Microsoft.AspNetCore.Builder; static class Startup { static void Map(IEndpointRouteBuilder app) { " + statement + " } }"]);

    [Fact]
    public Task Without_a_listener_of_its_own_an_optimized_build_is_not_reported_for_the_listener() => Verify(
        optimized: true,
        WebApp + "build_property.DebugPprofAddress = 0.0.0.0:6060\n");

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::ffff:127.0.0.1]", true)]
    [InlineData("", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("*", false)]
    [InlineData("+", false)]
    [InlineData("[::]", false)]
    [InlineData("128.0.0.1", false)]
    [InlineData("localhost.example.com", false)]
    public void Loopback_is_127_0_0_0_slash_8_localhost_and_ipv6_loopback(string host, bool expected) =>
        Assert.Equal(expected, DebugPprofExposureAnalyzer.IsLoopback(host));

    private static DiagnosticResult Expected(string what) =>
        new DiagnosticResult(DebugPprofExposureAnalyzer.Rule).WithArguments(what);

    private static Task Verify(bool optimized, string properties, params DiagnosticResult[] expected) =>
        Verify(optimized, properties, Array.Empty<string>(), expected);

    private static Task Verify(bool optimized, string properties, string[] moreSources, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<DebugPprofExposureAnalyzer, EmptyCodeFixProvider>(RuntimeStub);
        foreach (var source in moreSources) test.TestState.Sources.Add(source);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + properties));
        if (optimized)
        {
            test.SolutionTransforms.Add((solution, projectId) =>
                solution.WithProjectCompilationOptions(projectId, solution.GetProject(projectId)!.CompilationOptions!.WithOptimizationLevel(OptimizationLevel.Release)));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
