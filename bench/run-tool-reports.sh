#!/usr/bin/env bash
# `dotnet pprof top` and `flame` against `go tool pprof -top` on one ~50 MB profile with many distinct stacks:
# wall time and peak memory of each, side by side, interleaved (docs/benchmarks/tool-reports.md).
# Usage: bash bench/run-tool-reports.sh [ROUNDS] [MEGABYTES]   (defaults: 3 rounds, 50 MB)
set -euo pipefail

cd "$(dirname "$0")/.."
rounds=${1:-3}
megabytes=${2:-50}
dotnet build bench/ToolReports -c Release --nologo -v quiet
dotnet build src/ProfilingKit.Tool -c Release --nologo -v quiet
go=$(command -v go || echo /usr/lib/go/bin/go)
# The pprof binary itself, so that /usr/bin/time measures it and not the `go` launcher.
pprof="$(GOTOOLCHAIN=local "$go" env GOTOOLDIR)/pprof"
mkdir -p bench/results
profile="bench/results/tool-reports-${megabytes}mb.pb.gz"
[ -f "$profile" ] || dotnet bench/ToolReports/bin/Release/net10.0/ToolReports.dll "$profile" "$megabytes"
log="bench/results/tool-reports-$(date +%Y%m%d-%H%M%S).md"
page="bench/results/tool-reports-flame.html"

measure() { # name, command...: one line "name wall_s peak_MB"
    local name=$1; shift
    local out; out=$(mktemp)
    /usr/bin/time -v "$@" > /dev/null 2> "$out"
    local wall rss
    wall=$(grep 'Elapsed (wall clock)' "$out" | awk -F': ' '{print $2}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$out" | awk -F': ' '{print $2}')
    rm -f "$out"
    printf '| %s | %.2f | %.0f |\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- profile: $profile, $(du -m "$profile" | cut -f1) MB gzipped; go: $("$go" version)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| run | wall s | peak RSS MB |"
    echo "|---|---|---|"
    for round in $(seq 1 "$rounds"); do
        measure "dotnet pprof top (round $round)" dotnet src/ProfilingKit.Tool/bin/Release/net10.0/dotnet-pprof.dll top "$profile"
        measure "dotnet pprof flame (round $round)" dotnet src/ProfilingKit.Tool/bin/Release/net10.0/dotnet-pprof.dll flame -o "$page" "$profile"
        measure "go tool pprof -top (round $round)" env TZ=UTC "$pprof" -top "$profile"
    done
    echo
    echo "- the flame page: $(du -k "$page" | cut -f1) kB"
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
echo "Saved to $log"
