#!/usr/bin/env bash
# Requests per second of the standalone endpoint at 200 concurrent clients, this tree against an
# earlier commit (docs/benchmarks/endpoint-throughput.md).
# Usage: bash bench/run-endpoint-throughput.sh [--quick] [BASE]
#   BASE: the commit to compare with; default b3b55d0, the last one on the BCL's HttpListener.
#   full run: 3 rounds of 15 s per server and path (about 4 minutes); --quick: one round of 5 s.
set -euo pipefail

cd "$(dirname "$0")/.."
quick=()
base=b3b55d0
for arg in "$@"; do
    if [ "$arg" = --quick ]; then quick=(--quick); else base=$arg; fi
done

work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach -q "$work/base" "$base"
# The same bench program, built against the earlier tree.
cp -r bench/EndpointThroughput "$work/base/bench/"
rm -rf "$work/base/bench/EndpointThroughput/bin" "$work/base/bench/EndpointThroughput/obj"
dotnet build "$work/base/bench/EndpointThroughput" -c Release --nologo -v quiet -o "$work/base-out"
dotnet build bench/EndpointThroughput -c Release --nologo -v quiet -o "$work/head-out"

mkdir -p bench/results
log="bench/results/endpoint-throughput-$(date +%Y%m%d-%H%M%S).md"
{
    echo "- date: $(date -Iseconds); nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "- compared: $(git rev-parse --short "$base") (before) and $(git rev-parse --short HEAD)$(git diff --quiet || echo ' with uncommitted changes') (after)"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    dotnet "$work/head-out/EndpointThroughput.dll" "${quick[@]}" "before=$work/base-out/EndpointThroughput.dll" "after=$work/head-out/EndpointThroughput.dll"
    echo
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
echo "Saved to $log"
