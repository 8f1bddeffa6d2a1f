#!/usr/bin/env bash
# The throughput cost of ProfilingKit's always-on contention keyword on a lock-heavy workload (docs/benchmarks/contention.md).
# Usage: bash bench/run-contention-overhead.sh [--quick]
#   full run: about 3 minutes, 5 interleaved rounds of a plain and a ProfilingKit process; --quick: about 10 s, a smoke test.
# The "contention" role of bench/ProfilingKit.Bench, run by run-overhead.sh: the same build, machine
# lines (load average at start and end) and copy under bench/results/.
set -euo pipefail
exec bash "$(dirname "$0")/run-overhead.sh" contention "$@"
