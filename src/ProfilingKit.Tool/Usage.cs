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
          convert TRACE     a .nettrace from dotnet-trace or dotnet-monitor becomes a pprof profile:
                            allocs (AllocationSampled), cpu and wall (SampleProfiler), contention
                            (ContentionStart/Stop); written to -o, or beside the trace as TRACE.KIND.pb.gz

        Flags (Go's syntax: -name value, -name=value, --name):
          -seconds N        a profile over N seconds from a URL (CPU, allocations, contention)
          -o FILE           where convert writes the profile
          -profile KIND     convert: allocs, cpu, wall or contention (default: the first the trace has,
                            in that order: allocs, cpu, contention)
          -h, -help         this text

        """;
}
