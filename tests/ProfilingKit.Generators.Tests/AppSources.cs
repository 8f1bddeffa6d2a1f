namespace ProfilingKit.Generators.Tests;

/// <summary>Source files of the small apps the generator runs over.</summary>
internal static class AppSources
{
    /// <summary>Stands in for the runtime library: the same API surface the generated code calls.</summary>
    public const string DebugPprofStub = """
        namespace ProfilingKit
        {
            /// <summary>Stub.</summary>
            public static class DebugPprof
            {
                /// <summary>Stub.</summary>
                public static bool Start(string? address = null) => address is not null;

                /// <summary>Stub.</summary>
                public static void Stop()
                {
                }
            }
        }
        """;

    /// <summary>Stands in for the runtime library's GC trace, which the gctrace initializer calls.</summary>
    public const string GcTraceStub = """
        namespace ProfilingKit
        {
            /// <summary>Stub.</summary>
            public static class GcTrace
            {
                /// <summary>Stub.</summary>
                public static bool StartFromEnvironment() => true;
            }
        }
        """;

    public const string Program = """
        internal static class Program
        {
            private static void Main()
            {
            }
        }
        """;
}
