#!/usr/bin/env python3
"""Reference pyfixest run for the Quipu feols benchmark.

Reads the CSV with pandas (``pd.read_csv`` with its default C engine and
default dtype inference) and fits

    pf.feols("y ~ x1 + x2 | firm + year", vcov={"CRV1": "firm"})

(``--fe 3`` adds ``+ region``), otherwise with pyfixest's defaults.  Prints a
single JSON line to stdout:

    {"read_seconds":..., "fit_seconds":..., "total_seconds":...,
     "import_seconds":..., "coef": {"x1":..., "x2":...}, "se": {...},
     "nobs": ..., "formula": ..., "pyfixest_version": ...}

read/fit/total are measured in-process with time.perf_counter();
total_seconds = read + fit + result extraction (it excludes interpreter
start-up and imports -- including pyfixest's lazy import of its estimation
modules, forced before timing starts -- which import_seconds approximates).  Anything pyfixest
prints or warns goes to stderr.
"""

from __future__ import annotations

import time

_T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

import pandas as pd  # noqa: E402
import pyfixest as pf  # noqa: E402

# pyfixest imports its estimation modules lazily (scipy.stats, matplotlib, ...:
# several seconds) on first attribute access; force that here so that
# fit_seconds measures the fit only.  It still counts in the wall time.
_FEOLS = pf.feols

_T_IMPORTED = time.perf_counter()

FORMULAS = {
    2: "y ~ x1 + x2 | firm + year",
    3: "y ~ x1 + x2 | firm + year + region",
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="pyfixest feols reference run")
    ap.add_argument("--data", required=True, help="CSV file")
    ap.add_argument("--fe", type=int, choices=sorted(FORMULAS), default=2,
                    help="number of fixed effects (2: firm+year, 3: +region)")
    ap.add_argument("--formula", default=None,
                    help="override the formula (default from --fe)")
    ap.add_argument("--cluster", default="firm", help="CRV1 cluster variable")
    args = ap.parse_args(argv)

    formula = args.formula or FORMULAS[args.fe]
    if not os.path.exists(args.data):
        print(f"pyfixest_feols.py: data file not found: {args.data}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    df = pd.read_csv(args.data)
    t1 = time.perf_counter()

    caught = []
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fit = _FEOLS(formula, data=df, vcov={"CRV1": args.cluster})
        coef = fit.coef()
        se = fit.se()
        caught = [f"{x.category.__name__}: {x.message}" for x in w]
    t2 = time.perf_counter()

    for msg in caught:
        print(f"pyfixest warning: {msg}", file=sys.stderr)

    out = {
        "read_seconds": t1 - t0,
        "fit_seconds": t2 - t1,
        "total_seconds": t2 - t0,
        "import_seconds": _T_IMPORTED - _T_START,
        "coef": {str(k): float(v) for k, v in coef.items()},
        "se": {str(k): float(v) for k, v in se.items()},
        "nobs": int(fit._N),
        "formula": formula,
        "vcov": {"CRV1": args.cluster},
        "read_bytes": os.path.getsize(args.data),
        "pyfixest_version": getattr(pf, "__version__", None),
        "pandas_version": pd.__version__,
        "warnings": caught,
    }
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
