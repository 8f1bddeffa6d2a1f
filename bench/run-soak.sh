#!/usr/bin/env bash
# The always-on profiler's memory over a long uptime (docs/benchmarks/bounded-memory.md): issue 20's
# first and last workloads, each with ProfilingKit and without, RSS read from outside, a week extrapolated.
# Usage: bash bench/run-soak.sh [--quick] [--minutes N] [--workload recursion|steady]... [--fetch-every SECONDS] [--env NAME=VALUE]...
#   full run: 30 minutes; --quick: 3 minutes, a smoke test.
set -euo pipefail

cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build bench/Soak -c Release --nologo -v quiet -o "$out"

mkdir -p bench/results
log="bench/results/soak-$(date +%Y%m%d-%H%M%S).md"
{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' with uncommitted changes')"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    dotnet "$out/Soak.dll" "$@"
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"
echo "Saved to $log"
