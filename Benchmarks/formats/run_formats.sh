#!/usr/bin/env bash
# Thin wrapper: make Benchmarks/formats/.venv (pyreadstat + the pinned pandas/numpy/pyarrow) if it
# is missing, then run run_formats.py with the given arguments, e.g.
#   bash Benchmarks/formats/run_formats.sh --rows 1e6 --reps 3 --quipu .build/release/quipu
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv --system-site-packages "$here/.venv"
  "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
fi
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
exec "$here/.venv/bin/python" "$here/run_formats.py" "$@"
