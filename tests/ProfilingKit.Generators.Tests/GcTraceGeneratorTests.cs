using Xunit;

namespace ProfilingKit.Generators.Tests;

/// <summary>
/// PROFILINGKIT_GCTRACE=1 works in any app with the package, as GODEBUG=gctrace=1 works in any Go
/// program: the generator adds its initializer whether or not the app enables the endpoint.
/// (<see cref="DebugPprofGeneratorTest"/> expects that file, exactly, for every app; test apps, which
/// get no endpoint, are in <see cref="DebugPprofGeneratorTests"/>.)
/// </summary>
public sealed class GcTraceGeneratorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("false")]
    public Task An_app_without_EnableDebugPprof_gets_only_the_gctrace_initializer(string enableDebugPprof) =>
        new DebugPprofGeneratorTest(enableDebugPprof: enableDebugPprof).RunAsync();

    [Fact]
    public Task A_library_gets_nothing() =>
        new DebugPprofGeneratorTest(outputType: "Library").RunAsync();

    [Fact]
    public Task A_runtime_library_without_GcTrace_gets_no_gctrace_initializer() =>
        new DebugPprofGeneratorTest(runtimeHasGcTrace: false)
            .ExpectingModuleInitializer(DebugPprofGeneratorTests.ExpectedSource("\"127.0.0.1:6060\""))
            .RunAsync();

    [Fact]
    public void The_variable_name_is_the_one_the_runtime_reads() =>
        Assert.Contains($"GetEnvironmentVariable(\"{GcTraceVariable}\")", DebugPprofGeneratorTest.GcTraceSource, StringComparison.Ordinal);

    // The generator tests do not reference the runtime library; the name is part of the contract (DESIGN.md §1).
    private const string GcTraceVariable = "PROFILINGKIT_GCTRACE";
}
