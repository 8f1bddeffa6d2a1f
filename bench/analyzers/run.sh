#!/usr/bin/env bash
# Analyzer cost benchmark (docs/benchmarks/analyzers.md).
#
# Usage: bash bench/analyzers/run.sh [--rounds N] [--configs "none profilingkit ..."]
#
# Generates the deterministic corpus (tool/, about 69k lines of C#, into obj/corpus), builds
# ProfilingKit's analyzers in Release, restores every configuration (not timed), then rebuilds the
# corpus once per configuration per round, interleaved (a b c d b', a b c d b', ...), with
#   dotnet build --no-restore --no-incremental -c Release -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary
# and prints Markdown: medians of the wall clock and CPU time (user+sys) of the whole build command,
# of the Csc task's time and of each package's analyzer time from csc's ReportAnalyzer report, and
# the package's diagnostics (from a SARIF error log). Everything of a run is kept under
# bench/analyzers/results/<date-time>/ (not committed).
#
# Configurations (configs/<name>/Corpus.csproj, all importing configs/Corpus.props):
#   none                     (a) no analyzer package: the baseline
#   profilingkit             (b) ProfilingKit.Analyzers.dll from src/ProfilingKit.Analyzers/bin/Release/netstandard2.0
#   meziantou                (c) Meziantou.Analyzer 3.0.321 from NuGet
#   roslynator               (d) Roslynator.Analyzers 5.0.1 from NuGet
#   profilingkit-everywhere  (b') as (b) with profilingkit.report_outside_hot_places = true
#   probes                   (p) three do-nothing analyzers from probes/ (not in the default set): what
#                            ReportAnalyzer charges for the driver's work alone
# 16 rebuilds (one warm-up) of 20-120 s each depending on the machine's load: 10-30 minutes.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds=3
configs="none profilingkit meziantou roslynator profilingkit-everywhere"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --configs) configs="$2"; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--configs \"none profilingkit ...\"]" >&2; exit 2 ;;
    esac
done

out="$here/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== tool and corpus" >&2
dotnet build "$here/tool" -c Release -nologo -v quiet >&2
tool=(dotnet "$here/tool/bin/Release/net10.0/AnalyzerBench.dll")
corpus_line="$(cd "$repo" && "${tool[@]}" generate bench/analyzers/obj/corpus)"
echo "$corpus_line" >&2

if [[ " $configs " == *" profilingkit"* ]]; then
    echo "== ProfilingKit analyzers (Release)" >&2
    dotnet build "$repo/src/ProfilingKit.Analyzers" -c Release -nologo -v quiet >&2
fi

if [[ " $configs " == *" probes "* ]]; then
    echo "== do-nothing probes (Release)" >&2
    dotnet build "$here/probes" -c Release -nologo -v quiet >&2
fi

echo "== restore (not timed)" >&2
for c in $configs; do
    dotnet restore "$here/configs/$c/Corpus.csproj" -nologo -v quiet >&2
done

sdk_dir="$(dotnet --list-sdks | awk -v v="$(dotnet --version)" '$1 == v { gsub(/[][]/, "", $2); print $2 "/" v }')"
{
    echo "- date: $(date -Iseconds)"
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { print $2 }' | paste -sd' '), C# compiler $(dotnet "$sdk_dir/Roslyn/bincore/csc.dll" -version 2>/dev/null | cut -d' ' -f1)"
    echo "- ProfilingKit: $(git -C "$repo" rev-parse --short HEAD)$( [[ -n "$(git -C "$repo" status --porcelain -- src/ProfilingKit.Analyzers)" ]] && echo ' with uncommitted changes in src/ProfilingKit.Analyzers' ), analyzer rules: $(sed -n 's/.*"\(PK[0-9]*\)".*/\1/p' "$repo/src/ProfilingKit.Analyzers/Core/RuleIdentifiers.cs" | paste -sd' ')"
    echo "- $corpus_line"
} > "$out/machine.md"

build() { # config round
    local c="$1" r="$2" load times
    load="$(cut -d' ' -f1 /proc/loadavg)"
    # -m:1: one project, built in the dotnet process itself, so bash's `time` counts the CPU of the
    # whole build (MSBuild and csc, which it waits for). UseSharedCompilation=false: each build runs
    # csc in its own process, so runs share no compiler server with each other or with other builds
    # on the machine (and each pays the analyzers' JIT, as a CI build does).
    local TIMEFORMAT='%R %U %S'
    if ! { time dotnet build "$here/configs/$c/Corpus.csproj" --no-restore --no-incremental -c Release -nologo \
        -m:1 -nodeReuse:false -p:UseSharedCompilation=false \
        -p:ReportAnalyzer=true "-p:ErrorLog=$out/$c.$r.sarif%2Cversion=2.1" \
        -v:d -clp:PerformanceSummary > "$out/$c.$r.log" 2>&1; } 2> "$out/$c.$r.time"; then
        echo "build of $c failed, see $out/$c.$r.log" >&2
        exit 1
    fi
    times="$(tail -1 "$out/$c.$r.time")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$c" "$(awk '{ printf "%.2f", $1 }' <<< "$times")" "$(awk '{ printf "%.2f", $2 + $3 }' <<< "$times")" "$load" >> "$out/runs.tsv"
}

echo "== warm-up build (not counted)" >&2
dotnet build "$here/configs/none/Corpus.csproj" --no-restore --no-incremental -c Release -nologo -m:1 -nodeReuse:false -p:UseSharedCompilation=false -v:q > "$out/warmup.log" 2>&1

printf 'round\tconfiguration\twall_s\tcpu_s\tload1\n' > "$out/runs.tsv"
for r in $(seq 1 "$rounds"); do
    for c in $configs; do
        echo "== round $r/$rounds: $c" >&2
        build "$c" "$r"
    done
done

{
    cat "$out/machine.md"
    echo
    "${tool[@]}" summarize "$out"
} > "$out/summary.md"
cat "$out/summary.md"
echo "(saved in $out)" >&2
