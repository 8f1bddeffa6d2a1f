#!/usr/bin/env bash
# The target's throughput while `dotnet pprof serve` samples its allocations continuously from outside,
# against the in-process endpoint on the same workload and the workload alone (docs/benchmarks/attach.md).
# Usage: bash bench/run-attach-overhead.sh [SECONDS] [ROUNDS]   (defaults: 15 s, 2 rounds; order reversed every other round)
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-15}
rounds=${2:-2}
work=$(mktemp -d)
sidecar=""
trap '[ -n "$sidecar" ] && kill "$sidecar" 2>/dev/null; rm -rf "$work"' EXIT
dotnet build bench/AttachOverhead -c Release --nologo -v quiet -o "$work/app" >/dev/null
dotnet build src/ProfilingKit.Tool -c Release --nologo -v quiet -o "$work/tool" >/dev/null

# One run of MODE (plain, serve, inprocess): prints the app's "ops N wall S cpu S mb S" line, then the sidecar's CPU seconds.
run() {
    local mode=$1 app_mode=plain
    [ "$mode" = inprocess ] && app_mode=inprocess
    mkfifo "$work/in"
    dotnet "$work/app/AttachOverhead.dll" "$app_mode" "$seconds" <"$work/in" >"$work/out" 2>&1 &
    local app=$!
    exec 3>"$work/in"
    until grep -q '^ready' "$work/out"; do sleep 0.1; done
    if [ "$mode" = serve ]; then
        dotnet "$work/tool/dotnet-pprof.dll" serve -p "$app" --address "127.0.0.1:$((20000 + RANDOM % 20000))" 2>"$work/sidecar" &
        sidecar=$!
        until grep -q 'serving profiles' "$work/sidecar"; do sleep 0.1; done
    fi
    local sidecar_before=0
    [ -n "$sidecar" ] && sidecar_before=$(awk '{print $14 + $15}' "/proc/$sidecar/stat")
    echo go >&3
    wait "$app" || true
    exec 3>&-
    local sidecar_cpu=0
    if [ -n "$sidecar" ]; then
        sidecar_cpu=$(awk -v b="$sidecar_before" '{printf "%.2f", ($14 + $15 - b) / 100}' "/proc/$sidecar/stat" 2>/dev/null || echo "?")
        kill "$sidecar" 2>/dev/null || true
        wait "$sidecar" 2>/dev/null || true
        sidecar=""
    fi
    rm -f "$work/in"
    echo "$(grep '^ops' "$work/out") sidecar $sidecar_cpu"
}

mkdir -p bench/results
log="bench/results/attach-overhead-$(date +%Y%m%d-%H%M%S).md"
{
    echo "- date: $(date -Iseconds); nproc: $(nproc); commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' with uncommitted changes')"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $rounds rounds of $seconds s per mode; ops/s is per wall second, ops/CPU s per second of the target's own CPU time"
    echo
    echo "| round | mode | ops/s | ops/CPU s | MB/s allocated | sidecar CPU s |"
    echo "|---|---|---|---|---|---|"
    for round in $(seq 1 "$rounds"); do
        modes=(plain serve inprocess)
        [ $((round % 2)) -eq 0 ] && modes=(inprocess serve plain)
        for mode in "${modes[@]}"; do
            read -r _ ops _ wall _ cpu _ mb _ side <<<"$(run "$mode")"
            echo "$round $mode $ops $wall $cpu $mb $side" >>"$work/rows"
            awk -v r="$round" -v m="$mode" -v o="$ops" -v w="$wall" -v c="$cpu" -v b="$mb" -v s="$side" \
                'BEGIN { printf "| %s | %s | %.0f | %.0f | %.0f | %s |\n", r, m, o / w, o / c, b / w, s }'
        done
    done
    echo
    awk '{ wall[$2] += $3 / $4; cpu[$2] += $3 / $5; n[$2]++ }
         END {
             printf "- mean ops/s: plain %.0f, serve %.0f, inprocess %.0f\n", wall["plain"] / n["plain"], wall["serve"] / n["serve"], wall["inprocess"] / n["inprocess"]
             printf "- **serve / inprocess: ×%.3f** per wall second, ×%.3f per CPU second\n", wall["serve"] / wall["inprocess"], cpu["serve"] / cpu["inprocess"]
             printf "- serve / plain: ×%.3f per wall second; inprocess / plain: ×%.3f\n", wall["serve"] / wall["plain"], wall["inprocess"] / wall["plain"]
         }' "$work/rows"
    echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
echo "Saved to $log"
