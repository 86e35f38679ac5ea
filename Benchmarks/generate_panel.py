#!/usr/bin/env python3
"""Generate a large, deterministic synthetic firm-year panel as CSV.

Columns (header, in this order):

    firm    integer id, about rows/10 distinct values (7-digit, 8-digit above 9 million
            firms; not contiguous)
    year    integer, 10 levels 2010..2019
    region  integer, 1..100; a firm has a home region but moves with
            probability --move-prob in each firm-year, so region is NOT
            nested in firm (third fixed effect)
    x1, x2  floats (rounded to 9 decimals, ~10 significant digits)
    y       0.5*x1 - 0.3*x2 + firm effect + year effect + region effect + noise

Rows are a balanced panel (each firm has 10 consecutive years) sorted by firm
then year, unless --shuffle is given.  When rows is not a multiple of 10 the
last firm has fewer years.  x1 is correlated with the firm effect and x2 with
the year and region effects, so the fixed effects matter for the estimates.

The output is a function of (--rows, --seed, --move-prob, --shuffle) only.
A sidecar PATH.meta.json records those arguments (the benchmark runner uses it
to decide whether an existing file can be reused).

Floats are written by pyarrow in shortest round-trip form, so a few very small
values appear in exponent notation (e.g. 8.07e-7); a CSV reader must accept it.

Usage:
    python Benchmarks/generate_panel.py --rows 10000000 --seed 42 \
        --output Benchmarks/data/panel_1e7.csv
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

try:
    import pyarrow  # noqa: F401  (used by bench_data.write_csv)
except ImportError:  # pragma: no cover - exercised only without requirements
    sys.exit(
        "generate_panel.py needs pyarrow: pip install -r Benchmarks/requirements.txt"
    )

from bench_data import parse_count, write_csv

N_YEARS = 10
FIRST_YEAR = 2010
N_REGIONS = 100
DECIMALS = 9
# Bump when the generated data would change for the same arguments.
GENERATOR_VERSION = 1


def generate(rows: int, seed: int, move_prob: float, shuffle: bool) -> dict:
    rng = np.random.default_rng(seed)
    n_firms = -(-rows // N_YEARS)  # ceil

    # 7-digit ids while they suffice (the files up to 10^7 rows stay byte-identical); 8-digit
    # ids beyond 9 million firms (10^8 rows).
    id_space, id_base = (9_000_000, 1_000_000) if n_firms <= 9_000_000 else (90_000_000, 10_000_000)
    firm_ids = np.sort(
        rng.choice(id_space, size=n_firms, replace=False).astype(np.int64)
    ) + id_base
    firm_fe = rng.standard_normal(n_firms)
    year_fe = 0.5 * rng.standard_normal(N_YEARS)
    region_fe = 0.5 * rng.standard_normal(N_REGIONS)
    home_region = rng.integers(0, N_REGIONS, size=n_firms)

    idx = np.arange(rows, dtype=np.int64)
    firm_idx = idx // N_YEARS
    year_idx = idx % N_YEARS
    del idx

    region_idx = home_region[firm_idx]
    moved = rng.random(rows) < move_prob
    region_idx[moved] = rng.integers(0, N_REGIONS, size=int(moved.sum()))
    del moved

    fe_firm = firm_fe[firm_idx]
    fe_year = year_fe[year_idx]
    fe_region = region_fe[region_idx]

    x1 = np.round(0.5 * fe_firm + rng.standard_normal(rows), DECIMALS)
    x2 = np.round(0.3 * fe_year + 0.3 * fe_region + rng.standard_normal(rows), DECIMALS)
    y = 0.5 * x1 - 0.3 * x2 + fe_firm + fe_year + fe_region + rng.standard_normal(rows)
    y = np.round(y, DECIMALS)
    del fe_firm, fe_year, fe_region

    cols = {
        "firm": firm_ids[firm_idx],
        "year": (year_idx + FIRST_YEAR).astype(np.int64),
        "region": (region_idx + 1).astype(np.int64),
        "x1": x1,
        "x2": x2,
        "y": y,
    }
    if shuffle:
        perm = rng.permutation(rows)
        cols = {k: v[perm] for k, v in cols.items()}
    return cols


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=parse_count, required=True,
                    help="number of rows, e.g. 1000000, 1e6, 10M")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--output", required=True, help="CSV path to write")
    ap.add_argument("--move-prob", type=float, default=0.2,
                    help="probability that a firm-year is in a random region "
                         "rather than the firm's home region (default 0.2)")
    ap.add_argument("--shuffle", action="store_true",
                    help="shuffle row order (default: sorted by firm, year)")
    args = ap.parse_args(argv)

    out_dir = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(out_dir, exist_ok=True)

    t0 = time.perf_counter()
    cols = generate(args.rows, args.seed, args.move_prob, args.shuffle)
    t1 = time.perf_counter()
    write_csv(cols, args.output)
    t2 = time.perf_counter()

    size = os.path.getsize(args.output)
    meta = {
        "generator_version": GENERATOR_VERSION,
        "rows": args.rows,
        "seed": args.seed,
        "move_prob": args.move_prob,
        "shuffle": args.shuffle,
        "firms": -(-args.rows // N_YEARS),
        "years": N_YEARS,
        "regions": N_REGIONS,
        "bytes": size,
        "columns": list(cols),
        "true_coefficients": {"x1": 0.5, "x2": -0.3},
    }
    with open(args.output + ".meta.json", "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")
    n_firms = -(-args.rows // N_YEARS)
    print(
        f"wrote {args.output}: {args.rows:,} rows, {n_firms:,} firms, "
        f"{size:,} bytes ({size / 2**20:.1f} MiB); "
        f"generate {t1 - t0:.2f} s, write {t2 - t1:.2f} s, total {t2 - t0:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
