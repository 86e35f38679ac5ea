#!/usr/bin/env bash
# Wild cluster bootstrap benchmark: pyfixest + wildboottest vs Quipu.
# See Benchmarks/bootstrap/README.md.
#
#   bash Benchmarks/bootstrap/run_bootstrap_bench.sh [--no-install] [--build]
#        [--skip-python] [--skip-quipu] [--quipu PATH] [--runs N] [--configs large small]
#
# Steps: create Benchmarks/bootstrap/.venv if missing and pip install -q -r
# requirements.txt (skip with --no-install); generate the two data sets in
# Benchmarks/bootstrap/data/ if missing or generated with other arguments;
# run wildboottest_bench.py (1 and 2 threads; skip with --skip-python, which
# reuses the newest results/wildboottest-*.json); optionally build Quipu
# (--build: swift build -c release --product quipu); then time Quipu for
# --threads 1 and 2 (skipped with a clear message if .build/release/quipu is
# missing or lacks the bootstrap flags), print a Markdown table on stdout and
# write results/bootstrap-<stamp>.json.
#
# Environment: PYTHON (interpreter for the venv, default python3), BENCH_VENV
# (venv directory, default Benchmarks/bootstrap/.venv; BENCH_VENV=none uses
# $PYTHON directly).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

install=1; build=0; skip_python=0; skip_quipu=0; quipu="$repo/.build/release/quipu"
runs=3; configs=(large small)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-install) install=0 ;;
    --build) build=1 ;;
    --skip-python) skip_python=1 ;;
    --skip-quipu) skip_quipu=1 ;;
    --quipu) quipu="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --configs) configs=(); while [[ $# -gt 1 && "$2" != --* ]]; do configs+=("$2"); shift; done ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

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
  echo "[setup] pip install -q -r Benchmarks/bootstrap/requirements.txt" >&2
  "$python_bin" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
fi

# 2. Data (regenerated when missing or made with other arguments)
make_data() {  # rows clusters treat_effect file
  local rows="$1" clusters="$2" effect="$3" file="$here/data/$4"
  if "$python_bin" - "$file" "$rows" "$clusters" "$effect" <<'PY'
import json, sys
path, rows, clusters, effect = sys.argv[1], int(float(sys.argv[2])), int(sys.argv[3]), float(sys.argv[4])
sys.path.insert(0, __import__("os").path.dirname(path) + "/..")
from generate_boot_data import meta_for, DEFAULT_SEED
try:
    meta = json.load(open(path + ".meta.json"))
except OSError:
    sys.exit(1)
want = meta_for(rows, clusters, DEFAULT_SEED, effect)
sys.exit(0 if all(meta.get(k) == v for k, v in want.items()) and __import__("os").path.exists(path) else 1)
PY
  then
    echo "[data] reusing $file" >&2
  else
    "$python_bin" "$here/generate_boot_data.py" --rows "$rows" --clusters "$clusters" \
      --treat-effect "$effect" --output "$file"
  fi
}
make_data 1e6 1000 0.035 boot_1e6_g1000.csv
make_data 1e5 50 0.12 boot_1e5_g50.csv

# 3. pyfixest + wildboottest
wb_json=""
if [[ $skip_python -eq 0 ]]; then
  wb_json="$("$python_bin" "$here/wildboottest_bench.py" --runs "$runs" --configs "${configs[@]}")" || {
    echo "[wildboottest] benchmark reported a problem (see above)" >&2; }
  wb_json="$(echo "$wb_json" | tail -n 1)"
fi

# 4. Quipu
if [[ $build -eq 1 ]]; then
  echo "[build] swift build -c release --product quipu" >&2
  swift build -c release --product quipu >&2
fi
args=(--quipu "$quipu" --runs "$runs" --configs "${configs[@]}")
[[ -n "$wb_json" ]] && args+=(--wildboottest-json "$wb_json")
[[ $skip_quipu -eq 1 ]] && args+=(--skip-quipu)
"$python_bin" "$here/quipu_bootstrap_bench.py" "${args[@]}"
