#!/usr/bin/env bash
# Side-by-side feols benchmark, Quipu vs pyfixest.  See Benchmarks/README.md.
#
#   bash Benchmarks/run_feols.sh [--no-build] [--no-install] [--reps N]
#                                [--rows 1e6 ...] [--fe 2|3 ...] [--quipu PATH]
#                                [--skip-quipu] [--skip-pyfixest] [--seed S]
#
# Steps: make sure /usr/bin/time exists; create Benchmarks/.venv and
# pip install -q -r Benchmarks/requirements.txt (skip with --no-install);
# swift build -c release --product quipu (skip with --no-build); then
# Benchmarks/run_feols.py generates missing data in Benchmarks/data/, runs the
# benchmark and writes Benchmarks/results/feols-<date>.json.
#
# Environment: PYTHON (interpreter used to create the venv, default python3),
# BENCH_VENV (venv directory, default Benchmarks/.venv; set BENCH_VENV=none
# to use $PYTHON directly).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"

build=1
install=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --no-install) install=0 ;;
    -h|--help)
      sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0 ;;
  esac
done

# 1. GNU time (the shell builtin `time` cannot report peak RSS).
if [[ ! -x /usr/bin/time ]]; then
  echo "[setup] /usr/bin/time missing: installing Debian package 'time'" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y -q time >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  else
    sudo apt-get install -y -q time
  fi
fi

# 2. Python environment with pyfixest and the data-generation dependencies.
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
  echo "[setup] pip install -q -r Benchmarks/requirements.txt" >&2
  "$python_bin" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
fi

# 3. Quipu release build.
if [[ $build -eq 1 ]]; then
  echo "[setup] swift build -c release --product quipu" >&2
  if ! swift build -c release --product quipu; then
    echo "ERROR: swift build -c release --product quipu failed" >&2
    exit 1
  fi
fi

# 4. Data, runs, results.
exec "$python_bin" "$here/run_feols.py" --python "$python_bin" "$@"
