#!/usr/bin/env bash
# `dotnet pprof convert` throughput against TraceEvent's TraceLog (docs/benchmarks/convert.md): MB of
# .nettrace per second, each converting the same trace to an allocation profile cold in its own process.
# Usage: bash bench/run-convert-throughput.sh [MEGABYTES_ALLOCATED] [BUSY_SECONDS]
#   (defaults 40000 and 30: about a minute of recording, a trace of about 30 MB)
# Records the trace with the real dotnet-trace (PROFILINGKIT_DOTNET_TRACE, else PATH) of
# tests/TestApps/AllocatingApp: AllocationSampled of MEGABYTES_ALLOCATED in a known method, then its busy
# threads (CPU, sleep, lock contention) for BUSY_SECONDS under the SampleProfiler; prints Markdown,
# also saved under bench/results/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
megabytes=${1:-40000}
busy=${2:-30}
dotnet_trace=${PROFILINGKIT_DOTNET_TRACE:-$(command -v dotnet-trace)}
work=$(mktemp -d /tmp/profilingkit-convert-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

for project in tests/TestApps/AllocatingApp src/ProfilingKit.Tool bench/ConvertThroughput; do
    dotnet build "$project" -c Release --nologo -v quiet >/dev/null
done

trace="$work/AllocatingApp.nettrace"
(sleep "$busy"; echo) | "$dotnet_trace" collect --show-child-io -o "$trace" \
    --profile dotnet-sampled-thread-time --clrevents allocationsampling+contention \
    -- dotnet tests/TestApps/AllocatingApp/bin/Release/net10.0/AllocatingApp.dll off "$megabytes" busy > "$work/record.log" 2>&1

mkdir -p bench/results
log="bench/results/convert-throughput-$(date +%Y%m%d-%H%M%S).md"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
row=$(dotnet bench/ConvertThroughput/bin/Release/net10.0/ConvertThroughput.dll "$trace" src/ProfilingKit.Tool/bin/Release/net10.0/dotnet-pprof.dll)
{
    echo "## convert: dotnet pprof convert against TraceEvent's TraceLog"
    echo
    echo "- date: $(date -Iseconds); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); runtime $(dotnet --list-runtimes | grep -m1 -o 'Microsoft.NETCore.App [0-9.]*' | tail -1)"
    echo "- load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- trace: dotnet-trace $("$dotnet_trace" --version | cut -d+ -f1) of AllocatingApp, $megabytes MB allocated then ${busy} s busy (--profile dotnet-sampled-thread-time --clrevents allocationsampling+contention); one run each, cold"
    echo
    echo "$row"
} | tee "$log"
echo "Saved to $log"
