#!/usr/bin/env bash
# Read time of a 10^7-row panel as CSV, as .csv.gz and as Arrow (written by `quipu convert`):
# the "read_seconds" that `quipu feols --timings` reports, best of REPS runs each.
# Needs Benchmarks/.venv (run_feols.sh makes it) or any python3 with numpy and pyarrow for the
# data generator. Usage: bash Benchmarks/formats/run_formats.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-10000000}
REPS=${REPS:-3}
PYTHON=${PYTHON:-Benchmarks/.venv/bin/python}
DATA=Benchmarks/data
CSV=$DATA/panel_1e7.csv
QUIPU=.build/release/quipu
[ "${1:-}" = "--no-build" ] || swift build -c release --product quipu
mkdir -p "$DATA"
[ -f "$CSV" ] || "$PYTHON" Benchmarks/generate_panel.py --rows "$ROWS" --seed 42 --output "$CSV"
[ -f "$CSV.gz" ] || gzip -k -6 "$CSV"
rm -f "$DATA/panel_1e7.arrow"
/usr/bin/time -f "convert: %e s wall, %M KB max RSS" "$QUIPU" convert "$CSV" "$DATA/panel_1e7.arrow"
ls -l "$CSV" "$CSV.gz" "$DATA/panel_1e7.arrow"
for file in "$CSV" "$CSV.gz" "$DATA/panel_1e7.arrow"; do
  best=""
  for _ in $(seq "$REPS"); do
    read_seconds=$("$QUIPU" feols --data "$file" --formula "y ~ x1 + x2 | firm + year" --timings 2>&1 >/dev/null \
      | sed -n 's/.*"read_seconds":\([0-9.e-]*\).*/\1/p')
    best=$(python3 -c "print(min(x for x in [$read_seconds, ${best:-1e9}]))")
  done
  echo "$file: read $best s (best of $REPS)"
done
