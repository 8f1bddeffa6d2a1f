#!/usr/bin/env bash
# Whole-process overhead benchmark of ProfilingKit (docs/benchmarks.md).
# Usage: bash bench/run-overhead.sh [--quick]
#   full run: about 10 minutes, the numbers for docs/benchmarks.md; --quick: about a minute, a smoke test.
# Builds bench/ProfilingKit.Bench in Release, prints the machine, runs the driver; the output
# (Markdown) is also saved under bench/results/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
project=bench/ProfilingKit.Bench
dotnet build "$project" -c Release --nologo -v quiet
mkdir -p bench/results
log="bench/results/overhead-$(date +%Y%m%d-%H%M%S).md"

# The figures are ratios of medians of interleaved runs, which tolerates some noise, but not a saturated machine.
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v load="$load" -v cores="$(nproc)" 'BEGIN { exit !(load > cores) }'; then
    echo "warning: load average $load on $(nproc) cores: other work competes for the CPU; the figures will be noisy." >&2
fi

{
    echo "## Machine"
    echo
    echo "- date: $(date -Iseconds)"
    echo "- nproc: $(nproc)"
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- memory: $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
    echo "- .NET: $(dotnet --list-runtimes | grep Microsoft.NETCore.App | cut -d' ' -f2 | paste -sd' ') (SDK $(dotnet --version))"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    dotnet "$project/bin/Release/net10.0/ProfilingKit.Bench.dll" "$@"
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"

echo "Saved to $log"
