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
          flame -o FILE.html  one self-contained HTML page: an interactive flame graph (click to zoom,
                            search, hover for value and share), a top table, source lines
          web               the same page in a temp file, opened in a browser (xdg-open) when there is one

        Flags (Go's syntax: -name value, -name=value, --name):
          -seconds N        a profile over N seconds from a URL (CPU, allocations, contention)
          -o FILE           where flame (and web) write the page
          -http ADDR        serve the page (and the raw profile) at ADDR, such as localhost:8080, until Ctrl+C
          -sample_index T   the sample type shown first, such as alloc_objects (the page can switch)
          -h, -help         this text

        """;
}
