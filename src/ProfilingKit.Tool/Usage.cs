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

        Commands (go tool pprof's report flags work too: -top, -traces, -tags, -list=RE, -peek=RE):
          top               the functions that carry most, flat and cumulative (the default)
          traces            every sample's stack with its value and labels
          tags              per label key, the values with their totals and shares
          peek REGEX        the callers and callees of the functions matching REGEX
          list REGEX        the source of the functions matching REGEX, flat and cum per line
          diff BASE NEW     top of NEW minus BASE: what grew (positive) and shrank (negative)
          convert TRACE     a .nettrace from dotnet-trace or dotnet-monitor becomes a pprof profile:
                            allocs (AllocationSampled), cpu and wall (SampleProfiler), contention
                            (ContentionStart/Stop); written to -o, or beside the trace as TRACE.KIND.pb.gz
          flame -o FILE.html  one self-contained HTML page: an interactive flame graph (click to zoom,
                            search, hover for value and share), a top table, source lines
          web               the same page in a temp file, opened in a browser (xdg-open) when there is one

        Attach to a running .NET process (no rebuild, no ProfilingKit reference; .NET 10 for allocs):
          collect PROFILE   one profile of the process: allocs, block, mutex (over -seconds, default 30),
                            profile, wall, trace (over -seconds), goroutine, heap, threadcreate (now);
                            written to -o, default PROFILE-PID.pb.gz (trace: trace-PID.nettrace)
          serve             a sidecar serving the process's /debug/pprof/ at --address (default
                            127.0.0.1:6060), with the endpoint's limits and PROFILINGKIT_PPROF_TOKEN,
                            until Ctrl+C or the process exits
          ps                the .NET processes that collect and serve can attach to
          -p, --process-id PID   the process to attach to
          -n, --name NAME        the process by name (for collect and serve; elsewhere -n counts nodes)
          --diagnostic-port PATH the runtime's socket (a container's), or PATH,listen for a runtime
                            started with DOTNET_DiagnosticPorts=PATH
          --address ADDR    serve: where to listen

        Flags (Go's syntax: -name value, -name=value, --name):
          -cum              sort top by cumulative value (-flat: by own value, the default)
          -n, -nodecount N  show at most N functions
          -sample_index T   the sample type to show (a name such as alloc_objects, or its index);
                            by default the profile's default type, else its last; the page shows it first
          -focus RE         only samples with a function (or file) matching RE on their stack
          -ignore RE        no samples with a function (or file) matching RE on their stack
          -tagfocus F       only samples whose labels match F: key=RE, RE,RE (on key:value), or a
                            numeric range such as 64kb, :1kb, 4mb:, 1kb:64kb (optionally key=range)
          -tagignore F      no samples whose labels match F
          -diff_base BASE   show PROFILE minus BASE (any report)
          -async=false      top, flame: keep .NET's async plumbing (builders, state machine boxes,
                            ExecutionContext.Run, thread-pool dispatch); folded away by default
          -seconds N        a profile over N seconds from a URL or of a process (CPU, allocations, contention)
          -o FILE           where convert writes the profile, and flame (and web) the page
          -profile KIND     convert: allocs, cpu, wall or contention (default: the first the trace has,
                            in that order: allocs, cpu, contention)
          -http ADDR        serve the page (and the raw profile) at ADDR, such as localhost:8080, until Ctrl+C
          -h, -help         this text

        """;
}
