using Microsoft.Testing.Platform.Builder;
using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Services;

namespace ProfilingKit.Testing.Platform;

/// <summary>
/// The entry Microsoft.Testing.Platform calls: the test app's generated entry point calls
/// <see cref="AddExtensions"/> for each <c>TestingPlatformBuilderHook</c> item of its build, and
/// build/ProfilingKit.targets adds ours only to test projects with EnableDebugPprof. Public because
/// the generated code in the user's test app calls it; everything else here is internal.
/// </summary>
public static class TestingPlatformBuilderHook
{
    /// <summary>The platform's option that `dotnet test` passes to the test apps it runs.</summary>
    private const string DotnetTestPipeOption = "dotnet-test-pipe";

    /// <summary>Registers the test-profile controller when the app's build asked for a profile.</summary>
    public static void AddExtensions(ITestApplicationBuilder testApplicationBuilder, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(testApplicationBuilder);
        var settings = TestProfileSettings.FromAppContext();
        if (settings is null) return;

        // One instance plays both controller roles: it sets the host's environment and converts after the host exits.
        var controller = new CompositeExtensionFactory<TestHostProfiler>(services =>
        {
            var underDotnetTest = services.GetCommandLineOptions().IsOptionSet(DotnetTestPipeOption);
            var output = new PlatformOutput(services.GetOutputDevice(), underDotnetTest ? Console.Out : null, underDotnetTest ? Console.Error : null);
            return new TestHostProfiler(settings, output, services.GetMessageBus());
        });
        testApplicationBuilder.TestHostControllers.AddEnvironmentVariableProvider(controller);
        testApplicationBuilder.TestHostControllers.AddProcessLifetimeHandler(controller);
    }
}
