#!/usr/bin/env python3
"""Generate a deterministic clustered panel for the wild cluster bootstrap benchmark.

Columns (header, in this order):

    y        treat_effect*treat + 0.5*x1 - 0.3*x2 + cluster effect + year effect
             + cluster-year shock (sd 0.5) + noise (sd 1)
    x1       float, correlated with the cluster effect
    x2       float, independent of everything (left out of the benchmark formula: noise)
    treat    0/1; staggered adoption: 40% of clusters never treated, the others from an
             adoption year drawn uniformly in 2013..2018 on (treat = year >= adoption)
    cluster  integer id 1..G (the bootstrap and CRV1 cluster, also a fixed effect)
    year     integer 2010..2019, drawn uniformly for each row (not a balanced panel)

Each cluster has rows/G rows (the last ones fewer if G does not divide rows); rows are
sorted by cluster then year. The cluster-year shock makes errors correlated within
clusters, so clustering matters. Floats are rounded to 9 decimals and written by pyarrow
in shortest round-trip form.

The output is a function of (--rows, --clusters, --seed, --treat-effect) only; a sidecar
PATH.meta.json records them (run_bootstrap_bench.sh uses it to decide whether an existing
file can be reused).

Usage:
    python Benchmarks/bootstrap/generate_boot_data.py --rows 1e6 --clusters 1000 \
        --output Benchmarks/bootstrap/data/boot_1e6_g1000.csv
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
except ImportError:  # pragma: no cover
    sys.exit("generate_boot_data.py needs pyarrow: pip install -r Benchmarks/bootstrap/requirements.txt")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_data import parse_count, write_csv  # noqa: E402  (Benchmarks/bench_data.py)

N_YEARS = 10
FIRST_YEAR = 2010
DECIMALS = 9
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240601
DEFAULT_TREAT_EFFECT = 0.05


def generate(rows: int, clusters: int, seed: int, treat_effect: float) -> dict:
    if clusters < 2 or clusters > rows:
        raise ValueError("need 2 <= clusters <= rows")
    rng = np.random.default_rng(seed)
    per = -(-rows // clusters)
    cl = np.minimum(np.arange(rows, dtype=np.int64) // per, clusters - 1)
    year_idx = rng.integers(0, N_YEARS, size=rows)
    # sort rows by cluster, then year
    order = np.lexsort((year_idx, cl))
    cl, year_idx = cl[order], year_idx[order]

    cluster_fe = rng.standard_normal(clusters)
    year_fe = 0.5 * rng.standard_normal(N_YEARS)
    treated = rng.random(clusters) >= 0.4
    adopt = np.where(treated, rng.integers(3, 9, size=clusters), N_YEARS + 1)  # 2013..2018
    cy_shock = 0.5 * rng.standard_normal((clusters, N_YEARS))

    treat = (year_idx >= adopt[cl]).astype(np.int64)
    x1 = np.round(0.5 * cluster_fe[cl] + rng.standard_normal(rows), DECIMALS)
    x2 = np.round(rng.standard_normal(rows), DECIMALS)
    y = (treat_effect * treat + 0.5 * x1 - 0.3 * x2 + cluster_fe[cl] + year_fe[year_idx]
         + cy_shock[cl, year_idx] + rng.standard_normal(rows))
    y = np.round(y, DECIMALS)
    return {
        "y": y,
        "x1": x1,
        "x2": x2,
        "treat": treat,
        "cluster": cl + 1,
        "year": (year_idx + FIRST_YEAR).astype(np.int64),
    }


def meta_for(rows: int, clusters: int, seed: int, treat_effect: float) -> dict:
    return {"generator_version": GENERATOR_VERSION, "rows": rows, "clusters": clusters,
            "seed": seed, "treat_effect": treat_effect}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=parse_count, required=True, help="rows, e.g. 1e6, 100000, 1M")
    ap.add_argument("--clusters", type=parse_count, required=True, help="number of clusters G")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--treat-effect", type=float, default=DEFAULT_TREAT_EFFECT)
    ap.add_argument("--output", required=True, help="CSV path to write")
    args = ap.parse_args(argv)

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    t0 = time.perf_counter()
    cols = generate(args.rows, args.clusters, args.seed, args.treat_effect)
    t1 = time.perf_counter()
    write_csv(cols, args.output)
    t2 = time.perf_counter()
    size = os.path.getsize(args.output)
    meta = meta_for(args.rows, args.clusters, args.seed, args.treat_effect)
    meta.update({"years": N_YEARS, "bytes": size, "columns": list(cols),
                 "true_coefficients": {"treat": args.treat_effect, "x1": 0.5, "x2": -0.3}})
    with open(args.output + ".meta.json", "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")
    print(f"wrote {args.output}: {args.rows:,} rows, {args.clusters:,} clusters, {size / 2**20:.1f} MiB; "
          f"generate {t1 - t0:.2f} s, write {t2 - t1:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
