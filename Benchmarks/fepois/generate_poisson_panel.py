#!/usr/bin/env python3
"""Generate a deterministic firm-year panel with a Poisson outcome (~30% zeros) as CSV.

Columns: firm (about rows/10 integer ids), year (2010..2019), x1, x2 (floats, 9 decimals), y
(a count drawn from Poisson(exp(c + 0.3*x1 - 0.2*x2 + firm effect + year effect)), with c set so
that 30% of the expected outcomes are zeros). Rows are a balanced panel sorted by firm then
year. Some firms have y = 0 in all ten years: their rows form all-zero fixed-effect groups,
which both tools drop.

The output is a function of (--rows, --seed) only; a sidecar PATH.meta.json records them,
the share of zeros and the true coefficients.

Usage:
    python3 Benchmarks/fepois/generate_poisson_panel.py --rows 1e6 --output Benchmarks/fepois/data/poisson_1e6.csv
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_data import parse_count, write_csv  # noqa: E402

ZERO_SHARE = 0.30
BETA = {"x1": 0.3, "x2": -0.2}


def generate(rows: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    firms = (rows + 9) // 10
    firm = np.repeat(np.arange(firms, dtype=np.int64), 10)[:rows]
    year = np.tile(np.arange(10, dtype=np.int64), firms)[:rows]
    firm_effect = rng.normal(0.0, 0.8, firms)
    year_effect = rng.normal(0.0, 0.2, 10)
    x1 = np.round(0.5 * firm_effect[firm] + rng.normal(0.0, 1.0, rows), 9)
    x2 = np.round(0.5 * year_effect[year] + rng.normal(0.0, 1.0, rows), 9)
    index = BETA["x1"] * x1 + BETA["x2"] * x2 + firm_effect[firm] + year_effect[year]
    # The constant that makes the expected share of zeros, mean(exp(-mu)), equal ZERO_SHARE.
    low, high = -10.0, 10.0
    for _ in range(60):
        mid = (low + high) / 2
        if np.mean(np.exp(-np.exp(mid + index))) > ZERO_SHARE:
            low = mid
        else:
            high = mid
    y = rng.poisson(np.exp(low + index)).astype(np.int64)
    ids = 1_000_000 + 7 * firm  # 7-digit, not contiguous
    return {"firm": ids, "year": 2010 + year, "x1": x1, "x2": x2, "y": y}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=parse_count, required=True)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    cols = generate(args.rows, args.seed)
    write_csv(cols, args.output)
    meta = {"rows": args.rows, "seed": args.seed, "zero_share": float(np.mean(cols["y"] == 0)),
            "beta": BETA, "bytes": os.path.getsize(args.output)}
    with open(args.output + ".meta.json", "w") as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
