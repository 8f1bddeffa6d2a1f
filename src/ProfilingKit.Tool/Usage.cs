namespace ProfilingKit.Tool;

/// <summary>What <c>dotnet pprof -help</c> prints.</summary>
internal static class Usage
{
    public const string Text = """
        dotnet pprof: go tool pprof's reports for .NET, without Go.

        Usage: dotnet pprof [command] [flags] PROFILE
          PROFILE is a file (gzip or plain profile.proto) or a URL: a ProfilingKit endpoint or a Go
          program's /debug/pprof/, e.g. http://127.0.0.1:6060/debug/pprof/allocs. A URL without a path
          means /debug/pprof/profile. The token comes from the URL (http://pprof:TOKEN@host/...) or from
          PROFILINGKIT_PPROF_TOKEN.

        Commands:
          top               the functions that carry most, flat and cumulative (the default)

        Flags (Go's syntax: -name value, -name=value, --name):
          -seconds N        a profile over N seconds from a URL (CPU, allocations, contention)
          -h, -help         this text

        """;
}
