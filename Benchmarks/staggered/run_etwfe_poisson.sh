#!/usr/bin/env bash
# ETWFE Poisson benchmark: quipu did --estimator etwfe --model poisson vs one quipu fepois with the
# same firm + period effects vs diff-diff's WooldridgeDiD(method="poisson"). See README.md.
#
#   bash Benchmarks/staggered/run_etwfe_poisson.sh [--no-install] [--no-build] [--quipu PATH]
#        [any run_etwfe_poisson.py option: --rows 1e6 --runs 3 --peer-runs 3 --check-rows 1e5 ...]
#
# Steps: create Benchmarks/staggered/.venv if missing and pip install the pinned requirements.txt
# (skip with --no-install); swift build -c release --product quipu (skip with --no-build); then
# run_etwfe_poisson.py, which generates data/etwfe_poisson_*.csv if missing, checks the two ETWFE
# implementations agree on the small panel, times every tool, prints Markdown tables and writes
# results/etwfe-poisson-<stamp>.json.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

install=1; build=1; quipu="$repo/.build/release/quipu"; pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    --quipu) quipu="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$here/$(basename "${BASH_SOURCE[0]}")" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pass+=("$1") ;;
  esac
  shift
done

python_bin="${PYTHON:-python3}"
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  echo "[setup] creating virtual environment $venv" >&2
  "$python_bin" -m venv "$venv"
fi
if [[ $install -eq 1 ]]; then
  echo "[setup] pip install -q -r Benchmarks/staggered/requirements.txt" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
fi
if [[ $build -eq 1 ]]; then
  echo "[build] swift build -c release --product quipu" >&2
  swift build -c release --product quipu >&2
fi
exec "$venv/bin/python" "$here/run_etwfe_poisson.py" --quipu "$quipu" "${pass[@]+"${pass[@]}"}"
