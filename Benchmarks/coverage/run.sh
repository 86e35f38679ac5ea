#!/usr/bin/env bash
# The Monte Carlo coverage study of `quipu did` (see Benchmarks/coverage/README.md).
#
#   Benchmarks/coverage/run.sh [--no-build] [--panels N] [any run_coverage.py option]
#
# Builds the release binary (swift build -c release --product quipu; skip with --no-build), runs
# the arithmetic self-test, then run_coverage.py: N panels (default 200) of each design of
# study.json's full_run (default, null) the binary supports, 2 parallel jobs, results in Benchmarks/coverage/results/. Python 3 standard library
# only. `make coverage` runs the full study; `make coverage COVERAGE_FLAGS="--panels 20"` a pilot.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exec python3 "$here/run_coverage.py" --help ;;
    *) args+=("$arg") ;;
  esac
done

if [[ $build -eq 1 ]]; then
  swift build -c release --product quipu
fi
python3 "$here/test_coverage.py" 2>&1 | tail -1
exec python3 "$here/run_coverage.py" "${args[@]+"${args[@]}"}"
