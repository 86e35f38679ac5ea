#!/usr/bin/env python3
"""Generate a deterministic staggered-adoption panel for the Callaway-Sant'Anna benchmark.

    python Benchmarks/staggered/generate_staggered.py UNITS OUT.csv [--seed S] [--reuse]

UNITS units x 10 periods (1..10), balanced, rows sorted by id then period. Columns, in order:

    id       unit id 1..UNITS
    period   1..10
    cohort   first treated period, one of 3, 4, 5, 6, 7; 0 = never treated (about a third)
    x1       time-invariant covariate, N(0, 1), rounded to 9 decimals
    x2       time-invariant covariate, Bernoulli(0.5), written as 0/1
    y        outcome, rounded to 9 decimals

Selection into cohorts depends on the covariates (a multinomial logit with never-treated as the
base category): units with a high x1 enter early, units with x2 = 1 enter more often.

    P(cohort = g | x) proportional to exp(a + b_g * x1 + 0.5 * (x2 - 0.5)),  g = 3..7
    P(cohort = 0 | x) proportional to 1,
    a = log(0.4), b_g = 0.6, 0.45, 0.3, 0.15, 0.0 for g = 3..7

Outcome (t = period, e = t - g the time since treatment):

    y_it = alpha_i + lambda_t + (0.3 * x1_i + 0.4 * x2_i) * t + tau(g_i, t) + eps_it
    alpha_i  = 0.5 * x1_i + 0.5 * (g_i > 0) + N(0, 1)       unit effect
    lambda_t = 0.1 * t + N(0, 0.2^2)                          period effect (drawn once)
    tau(g,t) = 0 before g; (0.5 + 0.25 * e) * (1 + 0.1 * (g - 3)) for t >= g
    eps_it   ~ N(0, 1), independent

The trend depends on the covariates and so does selection, so parallel trends hold only
conditionally on x1 and x2: the estimate without covariates is biased, the one with x1 + x2 is
not. The sidecar OUT.csv.meta.json records the arguments, the cohort counts, the true ATT(g,t)
and the true "simple" aggregate (the cohort-size-weighted mean of the post-treatment ATT(g,t),
with the realised cohort sizes), which is what `aggte(type = "simple")` estimates.

The output is a function of (UNITS, --seed) only. Writing uses Benchmarks/bench_data.py
(pyarrow, chunked, atomic). 10^6 units (10^7 rows) take about 5 s and 360 MiB.
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
    sys.exit("generate_staggered.py needs pyarrow: pip install -r Benchmarks/staggered/requirements.txt")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench_data import parse_count, write_csv, written_with  # noqa: E402  (Benchmarks/bench_data.py)

N_PERIODS = 10
COHORTS = (3, 4, 5, 6, 7)
SLOPES_X1 = (0.6, 0.45, 0.3, 0.15, 0.0)
INTERCEPT = float(np.log(0.4))
DECIMALS = 9
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240601


def tau(g: int, t: int) -> float:
    """True ATT(g, t): zero before treatment, growing with time since treatment."""
    if g == 0 or t < g:
        return 0.0
    return (0.5 + 0.25 * (t - g)) * (1.0 + 0.1 * (g - 3))


def generate(units: int, seed: int) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    # unit level
    x1 = np.round(rng.standard_normal(units), DECIMALS)
    x2 = (rng.random(units) < 0.5).astype(np.int64)
    scores = np.empty((units, len(COHORTS) + 1))
    scores[:, 0] = 0.0
    for j, b in enumerate(SLOPES_X1):
        scores[:, j + 1] = INTERCEPT + b * x1 + 0.5 * (x2 - 0.5)
    np.exp(scores, out=scores)
    np.cumsum(scores, axis=1, out=scores)
    u = rng.random(units) * scores[:, -1]
    choice = (u[:, None] >= scores).sum(axis=1)  # 0 = never, j = COHORTS[j - 1]
    del scores, u
    cohort_values = np.array((0,) + COHORTS, dtype=np.int64)
    cohort = cohort_values[choice]
    alpha = 0.5 * x1 + 0.5 * (cohort > 0) + rng.standard_normal(units)
    lam = 0.1 * np.arange(1, N_PERIODS + 1) + 0.2 * rng.standard_normal(N_PERIODS)
    slope = 0.3 * x1 + 0.4 * x2

    # effect table: effect[c, t-1] for cohort index c (0 = never)
    effect = np.array([[tau(int(g), t) for t in range(1, N_PERIODS + 1)] for g in cohort_values])

    # row level: (units, periods) arrays, flattened in id-major order
    t = np.arange(1, N_PERIODS + 1, dtype=np.int64)
    y = alpha[:, None] + lam[None, :] + slope[:, None] * t[None, :]
    y += effect[choice]
    y += rng.standard_normal((units, N_PERIODS))
    y = np.round(y.ravel(), DECIMALS)

    cols = {
        "id": np.repeat(np.arange(1, units + 1, dtype=np.int64), N_PERIODS),
        "period": np.tile(t, units),
        "cohort": np.repeat(cohort, N_PERIODS),
        "x1": np.repeat(x1, N_PERIODS),
        "x2": np.repeat(x2, N_PERIODS),
        "y": y,
    }

    counts = {int(g): int((cohort == g).sum()) for g in cohort_values}
    att_gt = {f"{g},{tt}": tau(g, tt) for g in COHORTS for tt in range(1, N_PERIODS + 1) if tt >= g}
    num = sum(counts[g] * tau(g, tt) for g in COHORTS for tt in range(g, N_PERIODS + 1))
    den = sum(counts[g] * (N_PERIODS - g + 1) for g in COHORTS)
    truth = {"cohort_counts": counts, "never_treated_share": counts[0] / units,
             "true_att_gt": att_gt, "true_simple_att": num / den}
    return cols, truth


def meta_for(units: int, seed: int) -> dict:
    return {"generator_version": GENERATOR_VERSION, "units": units, "periods": N_PERIODS, "seed": seed}


def is_current(path: str, units: int, seed: int) -> bool:
    """True if `path` exists and was written by this generator version with these arguments."""
    return written_with(path, meta_for(units, seed))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("units", type=parse_count, help="number of units, e.g. 1e5, 100000, 1M")
    ap.add_argument("output", help="CSV path to write")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--reuse", action="store_true",
                    help="do nothing if OUT.csv exists and its .meta.json names the same units, seed and "
                         "generator version")
    args = ap.parse_args(argv)

    if args.reuse and is_current(args.output, args.units, args.seed):
        print(f"[data] reusing {args.output}", file=sys.stderr)
        return 0

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    t0 = time.perf_counter()
    cols, truth = generate(args.units, args.seed)
    t1 = time.perf_counter()
    write_csv(cols, args.output)
    t2 = time.perf_counter()
    size = os.path.getsize(args.output)
    meta = meta_for(args.units, args.seed)
    meta.update({"rows": args.units * N_PERIODS, "bytes": size, "columns": list(cols)})
    meta.update(truth)
    tmp = args.output + ".meta.json.tmp"
    with open(tmp, "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, args.output + ".meta.json")
    print(f"wrote {args.output}: {args.units:,} units x {N_PERIODS} periods, {size / 2**20:.1f} MiB, "
          f"never treated {truth['never_treated_share']:.3f}, true simple ATT {truth['true_simple_att']:.4f}; "
          f"generate {t1 - t0:.2f} s, write {t2 - t1:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
