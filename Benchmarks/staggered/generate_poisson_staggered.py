#!/usr/bin/env python3
"""Generate a deterministic staggered-adoption panel of counts for the ETWFE Poisson benchmark.

    python Benchmarks/staggered/generate_poisson_staggered.py ROWS OUT.csv [--seed S] [--reuse]

ceil(ROWS / 15) firms x 15 periods (1..15), balanced, rows sorted by id then period (10^6 rows:
66,667 firms, 1,000,005 firm-years). 15 cohorts: first treated period
2..15 (14 treated cohorts, equal shares) and 0 = never treated (a quarter of the firms).
Columns, in order:

    id       firm id 1..N
    period   1..15
    cohort   first treated period, 2..15; 0 = never treated
    d        1 from the cohort's first period on, else 0 (the TWFE regressor of the fepois run)
    cell     100 * g + t on those rows, else 0: the ETWFE's cells as one factor, for the fepois of the
             same design (`y ~ i(cell, ref = 0) + i(period) | id`)
    y        count outcome, Poisson, about 60% zeros

    y_it ~ Poisson(exp(alpha_i + lambda_t + tau(g, t)))
    alpha_i  = -1.2 + 0.3 * (g_i > 0) + N(0, 1)           firm effect (many firms rarely export)
    lambda_t = 0.03 * t + N(0, 0.1^2)                     period effect (drawn once)
    tau(g,t) = 0 before g; 0.1 + 0.03 * (t - g) from t >= g (a log effect growing with exposure)

The model is exactly the Poisson ETWFE one (unit and period effects, one effect per treated
cohort x period cell), so every estimator compared here is consistent. The sidecar
OUT.csv.meta.json records the arguments, cohort counts and the zero share. Writing uses
Benchmarks/bench_data.py (pyarrow, chunked, atomic), as generate_staggered.py does.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_data import parse_count, write_csv, written_with  # noqa: E402  (Benchmarks/bench_data.py)

N_PERIODS = 15
TREATED_COHORTS = tuple(range(2, N_PERIODS + 1))  # 14 treated cohorts + never treated = 15
NEVER_SHARE = 0.25
GENERATOR_VERSION = 2  # 2: adds `cell` (the random draws are those of version 1)
DEFAULT_SEED = 20261207


def log_effect(g: int, t: int) -> float:
    """True log effect of cell (g, t): zero before treatment, growing with time since treatment."""
    if g == 0 or t < g:
        return 0.0
    return 0.1 + 0.03 * (t - g)


def generate(firms: int, seed: int) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    treated_share = (1.0 - NEVER_SHARE) / len(TREATED_COHORTS)
    probs = np.array([NEVER_SHARE] + [treated_share] * len(TREATED_COHORTS))
    cohort_values = np.array((0,) + TREATED_COHORTS, dtype=np.int64)
    choice = rng.choice(len(cohort_values), size=firms, p=probs)
    cohort = cohort_values[choice]
    alpha = -1.2 + 0.3 * (cohort > 0) + rng.standard_normal(firms)
    t = np.arange(1, N_PERIODS + 1, dtype=np.int64)
    lam = 0.03 * t + 0.1 * rng.standard_normal(N_PERIODS)
    effect = np.array([[log_effect(int(g), int(tt)) for tt in t] for g in cohort_values])
    eta = alpha[:, None] + lam[None, :] + effect[choice]
    y = rng.poisson(np.exp(eta)).astype(np.int64).ravel()
    d = ((cohort[:, None] > 0) & (t[None, :] >= cohort[:, None])).astype(np.int64).ravel()
    cols = {
        "id": np.repeat(np.arange(1, firms + 1, dtype=np.int64), N_PERIODS),
        "period": np.tile(t, firms),
        "cohort": np.repeat(cohort, N_PERIODS),
        "d": d,
        "cell": d * (np.repeat(cohort, N_PERIODS) * 100 + np.tile(t, firms)),
        "y": y,
    }
    counts = {int(g): int((cohort == g).sum()) for g in cohort_values}
    info = {"cohort_counts": counts, "zero_share": float((y == 0).mean()), "mean_y": float(y.mean())}
    return cols, info


def meta_for(rows: int, seed: int) -> dict:
    return {"generator_version": GENERATOR_VERSION, "rows": rows, "periods": N_PERIODS, "seed": seed}


def is_current(path: str, rows: int, seed: int) -> bool:
    return written_with(path, meta_for(rows, seed))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=parse_count, help="number of firm-years, e.g. 1e6 (rounded up to whole firms of 15 periods)")
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--reuse", action="store_true",
                    help="do nothing if OUT.csv exists and its .meta.json names the same rows, seed and version")
    args = ap.parse_args(argv)
    firms = -(-args.rows // N_PERIODS)
    rows = firms * N_PERIODS
    if args.reuse and is_current(args.output, rows, args.seed):
        print(f"[data] reusing {args.output}", file=sys.stderr)
        return 0
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    t0 = time.perf_counter()
    cols, info = generate(firms, args.seed)
    write_csv(cols, args.output)
    size = os.path.getsize(args.output)
    meta = meta_for(rows, args.seed)
    meta.update({"firms": firms, "bytes": size, "columns": list(cols)})
    meta.update(info)
    tmp = args.output + ".meta.json.tmp"
    with open(tmp, "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, args.output + ".meta.json")
    print(f"wrote {args.output}: {firms:,} firms x {N_PERIODS} periods, {size / 2**20:.1f} MiB, "
          f"zeros {info['zero_share']:.3f}, {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
