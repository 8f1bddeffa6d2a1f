#!/usr/bin/env bash
# What following the live heap by allocation stack costs (docs/benchmarks/live-heap.md): the endpoint as
# shipped (off) against DebugPprofOptions.FollowLiveHeap (live), in alternating fresh processes.
# Usage: bash bench/run-live-heap-cost.sh [MEGABYTES] [SECONDS] [RATE_MB_S] [ROUNDS]   (defaults: 200 MB, 15 s, 250 MB/s, 3)
# Builds bench/HeapPause in Release, prints the machine and one Markdown row per process; the output is
# also saved under bench/results/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
megabytes=${1:-200}
seconds=${2:-15}
rate=${3:-250}
rounds=${4:-3}
project=bench/HeapPause
dotnet build "$project" -c Release --nologo -v quiet
mkdir -p bench/results
log="bench/results/live-heap-cost-$(date +%Y%m%d-%H%M%S).md"

{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- .NET: $(dotnet --list-runtimes | grep Microsoft.NETCore.App | cut -d' ' -f2 | paste -sd' '); workstation concurrent GC; ${megabytes} MB live in small objects"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| mode | paced rate | process CPU at that rate | GC pauses | one thread flat out | heap | heap?by=type |"
    echo "|---|---|---|---|---|---|---|"
    for _ in $(seq "$rounds"); do
        for mode in off live; do
            dotnet "$project/bin/Release/net10.0/HeapPause.dll" cost "$mode" "$megabytes" "$seconds" "$rate"
        done
    done
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"
