#!/usr/bin/env bash
# Cost of test profiles (docs/benchmarks/test-profiles.md): the wall time `dotnet test` adds with
# EnableDebugPprof on versus off, on the end-to-end test project (an xunit test allocating 100 MB in a
# known method), and the conversion time per MB of trace.
# Usage: bash bench/run-test-profile.sh [ROUNDS]    (default 5 rounds; 10-20 s a round here, plus a minute to pack and build)
# Packs the package from this repository, creates the project in a temporary folder with its own
# NuGet cache, builds it once, then alternates `dotnet test --no-build` off / on; prints Markdown,
# also saved under bench/results/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
rounds=${1:-5}
repo=$PWD
work=$(mktemp -d /tmp/profilingkit-test-profile-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
# NuGet rejects numeric pre-release parts with a leading zero, so the time stamp gets a letter.
version="0.1.0-bench.t$(date +%Y%m%d%H%M%S)"
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

dotnet pack nuget/ProfilingKit.Package.csproj -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet >/dev/null

project="$work/BenchTests"
mkdir -p "$project"
cat > "$project/nuget.config" <<EOF
<configuration><packageSources><add key="profilingkit-bench" value="$work/feed" /></packageSources></configuration>
EOF
cat > "$project/BenchTests.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <IsTestProject>true</IsTestProject>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
    <PackageReference Include="xunit" Version="2.9.3" />
    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
    <PackageReference Include="ProfilingKit" Version="$version" />
  </ItemGroup>
</Project>
EOF
cat > "$project/Tests.cs" <<'EOF'
using System.Runtime.CompilerServices;

namespace BenchTests;

public class Green
{
    public static object? Sink;

    [Xunit.Fact]
    public void Allocates_the_known_amount() => AllocateKnown();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateKnown()
    {
        for (var i = 0; i < 100_000; i++) Sink = new byte[1_000];
    }
}
EOF
(cd "$project" && dotnet build -c Release --nologo -v quiet >/dev/null)

mkdir -p bench/results
log="bench/results/test-profile-$(date +%Y%m%d-%H%M%S).md"

run() { # $1 = true|false; prints the wall seconds; the output goes to $work/last.log
    local start end
    start=$(date +%s.%N)
    (cd "$project" && dotnet test --no-build -c Release -tl:off -p:EnableDebugPprof="$1") > "$work/last.log" 2>&1
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$work/off"; : > "$work/on"; : > "$work/convert"
run false >/dev/null # warm-up: first run JITs the SDK's tools and fills caches
for round in $(seq "$rounds"); do
    run false >> "$work/off"; echo >> "$work/off"
    run true >> "$work/on"; echo >> "$work/on"
    # "estimated ... (N stacks; trace 6.94MB converted in 0.84 s)"
    sed -n 's/.*trace \([0-9.]*\)\(MB\|kB\) converted in \([0-9.]*\) s.*/\1 \2 \3/p' "$work/last.log" |
        awk '{ mb = ($2 == "kB") ? $1 / 1024 : $1; printf "%.3f %.3f\n", mb, $3 }' >> "$work/convert"
done

off=$(median < "$work/off")
on=$(median < "$work/on")
trace_mb=$(cut -d' ' -f1 "$work/convert" | median)
convert_s=$(cut -d' ' -f2 "$work/convert" | median)
{
    echo "## Test profiles: dotnet test with EnableDebugPprof off and on"
    echo
    echo "- date: $(date -Iseconds); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); SDK $(dotnet --version)"
    echo "- load average at start: $load_start; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- project: one xunit test allocating 100,000 x byte[1000] (about 98 MB); \`dotnet test --no-build -c Release\`, $rounds interleaved rounds after a warm-up, medians"
    echo
    echo "| | wall |"
    echo "|---|---|"
    echo "| profiling off | ${off} s |"
    echo "| profiling on (trace + conversion) | ${on} s |"
    echo "| added | $(awk -v a="$on" -v b="$off" 'BEGIN { printf "%+.2f s (%+.0f%%)", a - b, 100 * (a - b) / b }') |"
    echo
    echo "| trace | conversion (task's own timer) | per MB |"
    echo "|---|---|---|"
    echo "| ${trace_mb} MB | ${convert_s} s | $(awk -v s="$convert_s" -v m="$trace_mb" 'BEGIN { printf "%.3f s/MB", s / m }') |"
    echo
    echo "Per round (off, on, trace MB, conversion s):"
    echo
    paste -d' ' "$work/off" "$work/on" "$work/convert" | sed 's/^/    /'
} | tee "$log"
echo "Saved to $log"
