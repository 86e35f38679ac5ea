#!/usr/bin/env python3
"""One diff-diff `WooldridgeDiD(method="poisson")` run in a fresh process; prints one JSON line.

    python Benchmarks/staggered/peer_etwfe.py --data FILE [--control not_yet_treated] [--no-warmup]

Before the timer starts it imports diff_diff, reads the CSV into pandas and fits once, untimed,
on the first 2,000 firms (lazy imports and first-call costs are not counted, as in peer_cs.py).
The timed region is `WooldridgeDiD(...).fit(...)`, which estimates every cohort x period cell,
the overall ATT and its standard error (clustered by firm). The JSON line holds the estimation
time, the overall ATT and SE, the cell count, the versions and the BLAS libraries loaded.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings


def fit(data, control: str):
    from diff_diff import WooldridgeDiD
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = WooldridgeDiD(method="poisson", control_group=control, cluster="id")
        return est.fit(data, outcome="y", unit="id", time="period", first_treat="cohort")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--control", default="not_yet_treated", choices=["not_yet_treated", "never_treated"])
    ap.add_argument("--no-warmup", action="store_true")
    args = ap.parse_args(argv)

    import numpy as np
    import pandas as pd
    import diff_diff

    t_read = time.perf_counter()
    data = pd.read_csv(args.data)
    read_s = time.perf_counter() - t_read
    if not args.no_warmup:
        fit(data[data["id"] <= 2000], args.control)
    t0, c0 = time.perf_counter(), time.process_time()
    res = fit(data, args.control)
    estimate_s, estimate_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    rec = {"tool": "diff_diff", "status": "ok", "read_s": read_s, "estimate_s": estimate_s, "estimate_cpu_s": estimate_cpu_s,
           "simple": {"estimate": float(res.overall_att), "std_error": float(res.overall_se)},
           "cells": len(res.group_time_effects), "n_obs": int(res.n_obs),
           "versions": {"python": sys.version.split()[0], "diff_diff": diff_diff.__version__,
                        "numpy": np.__version__, "pandas": pd.__version__}}
    try:
        from threadpoolctl import threadpool_info
        rec["blas"] = [{k: i.get(k) for k in ("internal_api", "version", "num_threads", "filepath")}
                       for i in threadpool_info()]
    except Exception:  # pragma: no cover
        pass
    print(json.dumps(rec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
