namespace ProfilingKit.Generators;

/// <summary>
/// The text of the generated module initializer that honours <c>PROFILINGKIT_GCTRACE</c>, the
/// analogue of Go's <c>GODEBUG=gctrace=1</c>, in every app with the package.
/// </summary>
internal static class GcTraceModuleInitializerSource
{
    public const string HintName = "ProfilingKit.GcTrace.g.cs";

    /// <summary>
    /// Reads one environment variable and nothing else unless it is set: the call into ProfilingKit
    /// sits in a method of its own, so an app without the variable never even loads the library.
    /// </summary>
    public static string Render() => GeneratedModuleInitializer.Render(
        "GcTraceModuleInitializer",
        """
                [global::System.Runtime.CompilerServices.ModuleInitializer]
                internal static void StartGcTrace()
                {
                    if (!string.IsNullOrEmpty(global::System.Environment.GetEnvironmentVariable("PROFILINGKIT_GCTRACE")))
                    {
                        Start();
                    }
                }

                [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static void Start() => global::ProfilingKit.GcTrace.StartFromEnvironment();
        """);
}
