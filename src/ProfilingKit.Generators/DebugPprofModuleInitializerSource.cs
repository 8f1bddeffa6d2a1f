using Microsoft.CodeAnalysis.CSharp;

namespace ProfilingKit.Generators;

/// <summary>The text of the generated module initializer that starts the endpoint.</summary>
internal static class DebugPprofModuleInitializerSource
{
    public const string HintName = "ProfilingKit.DebugPprof.g.cs";

    public static string Render(string address) => GeneratedModuleInitializer.Render(
        "DebugPprofModuleInitializer",
        $$"""
                [global::System.Runtime.CompilerServices.ModuleInitializer]
                internal static void StartDebugPprof()
                {
                    // Only when this app is the process's entry point: not when a test host or a tool
                    // (WebApplicationFactory, dotnet ef) loads the app's assembly into its own process.
                    if (global::System.Reflection.Assembly.GetEntryAssembly() != typeof(DebugPprofModuleInitializer).Assembly)
                    {
                        return;
                    }

                    global::ProfilingKit.DebugPprof.Start({{SymbolDisplay.FormatLiteral(address, quote: true)}});
                }
        """);
}
