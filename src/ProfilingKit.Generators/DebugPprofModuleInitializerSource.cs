using Microsoft.CodeAnalysis.CSharp;

namespace ProfilingKit.Generators;

/// <summary>The text of the generated module initializer that starts the endpoint.</summary>
internal static class DebugPprofModuleInitializerSource
{
    public const string HintName = "ProfilingKit.DebugPprof.g.cs";

    /// <param name="address">DebugPprofAddress.</param>
    /// <param name="listen">DebugPprofListener: false starts sampling without the standalone listener (an app that maps MapDebugPprof).</param>
    public static string Render(string address, bool listen) => GeneratedModuleInitializer.Render(
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

                    {{(listen
                        ? $"global::ProfilingKit.DebugPprof.Start({SymbolDisplay.FormatLiteral(address, quote: true)});"
                        : $"global::ProfilingKit.DebugPprof.Start(new global::ProfilingKit.DebugPprofOptions {{ Address = {SymbolDisplay.FormatLiteral(address, quote: true)}, Listen = false }});")}}
                }
        """);
}
