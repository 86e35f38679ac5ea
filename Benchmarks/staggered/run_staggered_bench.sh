#!/usr/bin/env bash
# Callaway-Sant'Anna benchmark: quipu did --estimator cs vs csdid vs diff_diff.
# See Benchmarks/staggered/README.md.
#
#   bash Benchmarks/staggered/run_staggered_bench.sh [--no-install] [--build] [--quipu PATH]
#        [--skip-peers-large] [--runs N] [any other run_staggered.py option ...]
#
# Steps: install GNU time if /usr/bin/time is missing; create Benchmarks/staggered/.venv if
# missing and pip install -q -r requirements.txt in it (skip with --no-install); generate
# data/stag_1e5.csv and data/stag_1e6.csv if missing or made with other arguments (the folder is
# git-ignored); optionally build Quipu (--build: swift build -c release --product quipu; by default
# .build/release/quipu is used as it is); then run run_staggered.py: all tools side by side, cases
# {10^5, 10^6 units} x {no covariates, x1+x2} x {1, 2 threads}, median of 3 runs, a 10-minute
# limit per peer run at 10^6 units. It prints Markdown tables and writes
# results/staggered-<stamp>.json. Without a Quipu binary that has the cs estimator it says so and
# runs the peers only.
#
# Options not listed above go to run_staggered.py (see: python run_staggered.py --help), e.g.
# --units 1e5, --threads 1, --tools csdid diff_diff, --timeout S, --peer-timeout-large S,
# --mem-limit-gb G, --unset-openblas-coretype, --no-warmup.
#
# Environment: PYTHON (interpreter for the venv, default python3), BENCH_VENV (venv directory,
# default Benchmarks/staggered/.venv; BENCH_VENV=none uses $PYTHON directly).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

install=1; build=0; quipu="$repo/.build/release/quipu"; pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-install) install=0 ;;
    --build) build=1 ;;
    --quipu) quipu="$2"; shift ;;
    -h|--help) sed -n '2,23p' "$here/$(basename "${BASH_SOURCE[0]}")" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pass+=("$1") ;;
  esac
  shift
done

# 0. GNU time (peak memory of every run)
if [[ ! -x /usr/bin/time ]]; then
  echo "[setup] installing GNU time (Debian package time)" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -q time >&2; else sudo apt-get install -y -q time >&2; fi
fi

# 1. Python environment
python_bin="${PYTHON:-python3}"
venv="${BENCH_VENV:-$here/.venv}"
if [[ "$venv" != "none" ]]; then
  if [[ ! -x "$venv/bin/python" ]]; then
    echo "[setup] creating virtual environment $venv" >&2
    "$python_bin" -m venv "$venv"
  fi
  python_bin="$venv/bin/python"
fi
if [[ $install -eq 1 ]]; then
  echo "[setup] pip install -q -r Benchmarks/staggered/requirements.txt" >&2
  "$python_bin" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
fi

# 2. Data (regenerated when missing or made with other arguments)
for units in 1e5 1e6; do
  "$python_bin" "$here/generate_staggered.py" "$units" "$here/data/stag_${units}.csv" --reuse
done

# 3. Quipu (optional build)
if [[ $build -eq 1 ]]; then
  echo "[build] swift build -c release --product quipu" >&2
  swift build -c release --product quipu >&2
fi

# 4. All tools side by side
exec "$python_bin" "$here/run_staggered.py" --quipu "$quipu" "${pass[@]+"${pass[@]}"}"
