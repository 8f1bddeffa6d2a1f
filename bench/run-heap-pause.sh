#!/usr/bin/env bash
# The pause of a /debug/pprof/heap request on a 200 MB live heap (docs/benchmarks/heap-pause.md).
# Usage: bash bench/run-heap-pause.sh [MEGABYTES] [REQUESTS]    (defaults: 200 MB, 5 requests per shape)
# Builds bench/HeapPause in Release, prints the machine and one Markdown row per request; the output
# is also saved under bench/results/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
megabytes=${1:-200}
requests=${2:-5}
project=bench/HeapPause
dotnet build "$project" -c Release --nologo -v quiet
mkdir -p bench/results
log="bench/results/heap-pause-$(date +%Y%m%d-%H%M%S).md"

{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- .NET: $(dotnet --list-runtimes | grep Microsoft.NETCore.App | cut -d' ' -f2 | paste -sd' '); workstation concurrent GC"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| heap | request | live objects | inuse MB | pause (profile comment) | GC pause (runtime) | longest app stall | request time |"
    echo "|---|---|---|---|---|---|---|---|"
    for shape in small arrays; do
        dotnet "$project/bin/Release/net10.0/HeapPause.dll" "$shape" "$megabytes" "$requests"
    done
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"
