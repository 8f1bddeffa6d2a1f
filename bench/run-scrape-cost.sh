#!/usr/bin/env bash
# The cost of being scraped on Grafana Alloy's schedule (docs/benchmarks/continuous-profiling.md).
# Usage: bash bench/run-scrape-cost.sh [--quick] [--throughout] [--labels]
#   full run: 5 rounds of 60 s per configuration (10 minutes; 15 with --throughout, which adds the
#   scraped app with CPU windows sampled throughout, as before slicing); --quick: one 20 s round, a smoke test;
#   --labels: instead, unscraped with and without profile labels on every request (docs/debug-pprof.md, Labels).
set -euo pipefail

cd "$(dirname "$0")/.."
project=bench/ScrapeCost
dotnet build "$project" -c Release --nologo -v quiet
mkdir -p bench/results
log="bench/results/scrape-cost-$(date +%Y%m%d-%H%M%S).md"
{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    dotnet "$project/bin/Release/net10.0/ScrapeCost.dll" "$@"
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
echo "Saved to $log"
