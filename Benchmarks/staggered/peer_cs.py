#!/usr/bin/env python3
"""One timed Callaway-Sant'Anna run with a Python peer (csdid or diff_diff); prints one JSON line.

    python Benchmarks/staggered/peer_cs.py --tool csdid|diff_diff --data FILE \
        [--covariates x1,x2] [--threads N] [--reps 999] [--seed 1] [--no-warmup] [--cband]
        [--csdid-pl auto|on|off]

Both peers estimate ATT(g,t) on the panel (unit id, time period, first-treated cohort, 0 = never
treated) with the doubly robust estimator, never-treated controls, a varying base period and, with
--covariates, x1 + x2 in both the propensity score and the outcome regression; then every
aggregation the package offers among simple, group, dynamic (event study) and calendar. Inference is
the multiplier bootstrap with Rademacher weights, --reps replicates (999), wherever the package
offers it. Pointwise intervals only (no uniform bands) unless --cband.

csdid 0.4.3 (a port of R `did`):
    ATTgt(yname="y", tname="period", idname="id", gname="cohort", data=df,
          control_group="nevertreated", xformla="y~x1+x2" (or None), biters=999, cband=False,
          pl=(threads > 1), cores=threads)   [see --csdid-pl]
      .fit(est_method="dr", base_period="varying", bstrap=True)
    then .aggte(typec=T) for T in simple, group, dynamic, calendar (each inherits bstrap=True and
    biters=999 from the fit). The global numpy RNG is seeded with --seed (csdid draws from it).
    csdid runs a SEPARATE multiplier bootstrap (n x biters Rademacher draws) for the ATT(g,t) and
    for every aggregated parameter: the overall simple ATT, each group and the group average, each
    event time and the dynamic average, each period and the calendar average. With threads > 1,
    pl=True, cores=threads splits the ATT(g,t) bootstrap's replicates over joblib (loky) worker
    PROCESSES (only when n > 2500); the aggregations' bootstraps run serially in any case. Each
    worker holds a 16 x n x (replicates / threads) byte block of weights (8 GB per worker at 10^6
    units), so with --csdid-pl auto (the default) pl is turned off, and the reason recorded, when the
    workers together would need more than 60% of MemAvailable (the case at 10^6 units).
    aggte() prints its tables: stdout is redirected to /dev/null while timing.

diff_diff 3.13.0 (Rust backend for the bootstrap weights and OLS solves):
    CallawaySantAnna(control_group="never_treated", estimation_method="dr", base_period="varying",
                     n_bootstrap=999, bootstrap_weights="rademacher", seed=1, cband=False)
      .fit(df, outcome="y", unit="id", time="period", first_treat="cohort",
           covariates=["x1", "x2"] (or None))
    then results.aggregate(T) for T in simple, group, event_study. The fit runs one multiplier
    bootstrap for the ATT(g,t) and the overall ATT; aggregate("simple") relays that stored
    inference; aggregate("group") and aggregate("event_study") replay the fit-time bootstrap
    weight stream (bootstrap SEs). diff_diff's CallawaySantAnna has NO calendar aggregation
    (aggregate("calendar") raises): recorded as unsupported. Threads: the Rust backend uses rayon
    (RAYON_NUM_THREADS) and numpy's OpenBLAS (OPENBLAS_NUM_THREADS).

Timing: the CSV is read with pandas.read_csv (default C engine, default types) before the timer
starts; the timed region is everything from constructing the estimator to the last aggregation
(csdid's preprocessing included). Before timing, an untimed warm-up runs the same calls on the
first 2,000 units with 49 replicates (--no-warmup to skip), so lazy imports and first-call costs
are not counted. The thread variables OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS,
RAYON_NUM_THREADS, NUMBA_NUM_THREADS and VECLIB_MAXIMUM_THREADS are set to --threads before numpy
is imported (if --threads is given). The JSON line has the times, ru_maxrss after reading and at
the end, the aggregates in Quipu's schema ({"type", "estimate", "std_error", "by": [...]}), what
was run and what the package cannot do.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS",
               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
WARMUP_UNITS = 2000
WARMUP_REPS = 49


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, choices=["csdid", "diff_diff"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--covariates", default="", help="comma-separated, e.g. x1,x2 (default: none)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--reps", type=int, default=999)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false")
    ap.add_argument("--cband", action="store_true", help="also compute uniform (sup-t) bands")
    ap.add_argument("--csdid-pl", choices=["auto", "on", "off"], default="auto",
                    help="csdid's parallel bootstrap (pl=True, cores=threads) when threads > 1: auto (the "
                         "default) turns it off when its worker processes would not fit in memory")
    return ap.parse_args(argv)


def rss_mib(who: int) -> float:
    import resource
    return resource.getrusage(who).ru_maxrss / 1024


def fnum(x):
    """A float, or None for NaN/None (so the JSON is valid)."""
    import math
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


# ----------------------------------------------------------------------------------------------
# csdid
# ----------------------------------------------------------------------------------------------

CSDID_TYPES = ("simple", "group", "dynamic", "calendar")
CSDID_BY_KEY = {"group": "group", "dynamic": "event", "calendar": "time"}


def run_csdid(df, covariates, threads, reps, seed, cband, pl=None):
    import numpy as np
    from csdid.att_gt import ATTgt

    xformla = "y~" + "+".join(covariates) if covariates else None
    if pl is None:
        pl = threads > 1
    cores = max(1, threads) if pl else 1
    np.random.seed(seed)
    with contextlib.redirect_stdout(io.StringIO()):
        t0 = time.perf_counter()
        att = ATTgt(yname="y", tname="period", idname="id", gname="cohort", data=df,
                    control_group="nevertreated", xformla=xformla, biters=reps, cband=cband,
                    pl=pl, cores=cores)
        att.fit(est_method="dr", base_period="varying", bstrap=True)
        t1 = time.perf_counter()
        phases = {"att_gt": t1 - t0}
        aggs = []
        for ty in CSDID_TYPES:
            ta = time.perf_counter()
            att.aggte(typec=ty)
            phases["aggregate_" + ty] = time.perf_counter() - ta
            a = att.atte
            entry = {"type": ty, "estimate": fnum(a["overall_att"]),
                     "std_error": fnum(np.ravel(a["overall_se"])[0] if a["overall_se"] is not None else None),
                     "by": []}
            if a.get("egt") is not None:
                ses = np.ravel(a["se_egt"])
                for k, (lab, est) in enumerate(zip(a["egt"], a["att_egt"])):
                    entry["by"].append({CSDID_BY_KEY[ty]: int(lab), "estimate": fnum(est),
                                        "std_error": fnum(ses[k])})
            aggs.append(entry)
        t2 = time.perf_counter()
    res = att.results
    info = {
        "n_att_gt": int(len(res["att"])),
        "att_gt_se_method": "multiplier bootstrap (Rademacher), one run over all ATT(g,t)",
        "bootstrap": {
            "att_gt": f"multiplier bootstrap, Rademacher, {reps} replicates"
                      + (f", pl=True, cores={cores} (joblib loky processes)" if pl else ", serial (pl=False)"),
            "aggregations": f"a separate multiplier bootstrap ({reps} replicates, serial) for every "
                            "aggregated parameter: simple; each group and the group average; each event "
                            "time and the dynamic average; each period and the calendar average",
            "uniform_bands": bool(cband),
        },
        "aggregations_run": list(CSDID_TYPES),
        "aggregations_unsupported": [],
        "call": (f"ATTgt(yname='y', tname='period', idname='id', gname='cohort', data=df, "
                 f"control_group='nevertreated', xformla={xformla!r}, biters={reps}, cband={cband}, "
                 f"pl={pl}, cores={cores}).fit(est_method='dr', base_period='varying', "
                 f"bstrap=True); aggte(typec=T) for T in {list(CSDID_TYPES)}; np.random.seed({seed})"),
    }
    return t2 - t0, phases, aggs, info


# ----------------------------------------------------------------------------------------------
# diff_diff
# ----------------------------------------------------------------------------------------------

DD_TYPES = (("simple", "simple"), ("group", "group"), ("dynamic", "event_study"))


def _dd_entry(ty, obj):
    """Convert a diff_diff aggregate (AggregationResult or EventStudyResults) to Quipu's schema."""
    import numpy as np
    entry = {"type": ty, "estimate": None, "std_error": None, "by": []}
    if ty == "simple":
        entry["estimate"] = fnum(np.ravel(obj.att)[0])
        entry["std_error"] = fnum(np.ravel(obj.se)[0])
        return entry
    if ty == "group":
        for lab, est, se in zip(obj.label, obj.att, obj.se):
            entry["by"].append({"group": int(lab), "estimate": fnum(est), "std_error": fnum(se)})
        return entry
    # event study
    frame = obj.to_dataframe()
    for _, row in frame.iterrows():
        if bool(row.get("is_reference", False)):
            continue
        entry["by"].append({"event": int(row["event_time"]), "estimate": fnum(row["att"]),
                            "std_error": fnum(row["se"])})
    for attr in ("overall_att", "att"):
        v = getattr(obj, attr, None)
        if v is not None and np.ndim(v) == 0:
            entry["estimate"] = fnum(v)
            break
    for attr in ("overall_se", "se"):
        v = getattr(obj, attr, None)
        if v is not None and np.ndim(v) == 0:
            entry["std_error"] = fnum(v)
            break
    return entry


def run_diff_diff(df, covariates, threads, reps, seed, cband, pl=None):
    from diff_diff import CallawaySantAnna

    t0 = time.perf_counter()
    cs = CallawaySantAnna(control_group="never_treated", estimation_method="dr", base_period="varying",
                          n_bootstrap=reps, bootstrap_weights="rademacher", seed=seed, cband=cband)
    results = cs.fit(df, outcome="y", unit="id", time="period", first_treat="cohort",
                     covariates=list(covariates) or None)
    t1 = time.perf_counter()
    phases = {"fit": t1 - t0}
    aggs = []
    for ty, dd_name in DD_TYPES:
        ta = time.perf_counter()
        obj = results.aggregate(dd_name)
        phases["aggregate_" + ty] = time.perf_counter() - ta
        aggs.append(_dd_entry(ty, obj))
    t2 = time.perf_counter()
    calendar_error = None
    try:
        results.aggregate("calendar")
    except Exception as exc:  # expected: not implemented in 3.13.0
        calendar_error = f"{type(exc).__name__}: {exc}"
    try:
        from diff_diff.bootstrap_chunking import effective_weight_backend
        weight_backend = effective_weight_backend()
    except Exception:  # pragma: no cover
        weight_backend = None
    info = {
        "n_att_gt": int(len(results.group_time_effects)),
        "att_gt_se_method": "multiplier bootstrap (Rademacher) at fit time",
        "bootstrap": {
            "att_gt": f"multiplier bootstrap, Rademacher, {reps} replicates, one weight stream for the "
                      "ATT(g,t) and the overall ATT (fit time)",
            "aggregations": "simple: relays the fit-time bootstrap inference; group and event_study: "
                            f"replay the fit-time weight stream ({reps} replicates each, bootstrap SEs)",
            "uniform_bands": bool(cband),
            "weight_backend": weight_backend,
        },
        "aggregations_run": ["simple", "group", "dynamic (event_study)"],
        "aggregations_unsupported": ["calendar"],
        "calendar_error": calendar_error,
        "call": (f"CallawaySantAnna(control_group='never_treated', estimation_method='dr', "
                 f"base_period='varying', n_bootstrap={reps}, bootstrap_weights='rademacher', seed={seed}, "
                 f"cband={cband}).fit(df, outcome='y', unit='id', time='period', first_treat='cohort', "
                 f"covariates={list(covariates) or None}); results.aggregate(T) for T in "
                 "['simple', 'group', 'event_study']"),
    }
    return t2 - t0, phases, aggs, info


# ----------------------------------------------------------------------------------------------

def mem_available_bytes() -> int:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def csdid_pl_decision(mode: str, threads: int, n_units: int, reps: int) -> tuple[bool, str | None]:
    """Whether csdid runs its bootstrap with pl=True, cores=threads, and why not.

    csdid's multiplier_bootstrap draws its Rademacher weights as an int64 (chunk x n) matrix and
    multiplies it by the influence functions, which casts it to a float64 copy: 16 bytes x n x
    chunk, chunk = min(replicates in the worker, 5e8 / n). With pl=True every loky worker process
    holds its own such block at once (8 GB each at 10^6 units), which can exhaust the machine even
    though each process stays under the address-space limit.
    """
    if threads <= 1 or mode == "off":
        return False, None if threads <= 1 else "pl=False (--csdid-pl off)"
    if mode == "on" or n_units <= 2500:
        return True, None
    per_worker = -(-reps // threads)
    chunk = max(1, min(per_worker, int(5e8 / max(n_units, 1))))
    need = threads * 16 * n_units * chunk
    avail = mem_available_bytes()
    if avail and need > 0.6 * avail:
        return False, (f"pl=False: csdid's {threads} bootstrap worker processes would need about "
                       f"{need / 2**30:.1f} GiB at once ({avail / 2**30:.1f} GiB available); the bootstrap ran "
                       "serially, with BLAS on the threads")
    return True, None


def versions(tool: str) -> dict:
    import platform
    from importlib.metadata import version
    v = {"python": platform.python_version()}
    pkgs = ["numpy", "pandas", "scipy"]
    pkgs += ["csdid", "statsmodels", "joblib"] if tool == "csdid" else ["diff-diff"]
    for p in pkgs:
        try:
            v[p] = version(p)
        except Exception:  # pragma: no cover
            v[p] = None
    return v


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: d.get(k) for k in ("internal_api", "prefix", "version", "num_threads", "threading_layer",
                                   "architecture")} for d in threadpool_info()]


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.threads is not None:
        for var in THREAD_VARS:
            os.environ[var] = str(args.threads)
    threads = args.threads or 1
    covariates = [c for c in args.covariates.split(",") if c]
    import resource
    import warnings

    out = {"tool": args.tool, "data": args.data, "covariates": covariates, "threads": threads,
           "reps": args.reps, "seed": args.seed, "cband": args.cband,
           "thread_env": {v: os.environ.get(v) for v in THREAD_VARS},
           "openblas_env": {v: os.environ.get(v) for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}}
    try:
        t0 = time.perf_counter()
        import numpy as np  # noqa: F401
        import pandas as pd
        if args.tool == "csdid":
            import csdid.att_gt  # noqa: F401
            runner = run_csdid
        else:
            import diff_diff  # noqa: F401
            out["diff_diff_rust_backend"] = bool(diff_diff.HAS_RUST_BACKEND)
            runner = run_diff_diff
        out["import_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        df = pd.read_csv(args.data)
        out["read_s"] = time.perf_counter() - t0
        out["rows"] = int(len(df))
        out["units"] = int(df["id"].nunique())
        out["max_rss_after_read_mib"] = rss_mib(resource.RUSAGE_SELF)

        pl = None
        if args.tool == "csdid":
            pl, out["csdid_pl_note"] = csdid_pl_decision(args.csdid_pl, threads, out["units"], args.reps)
            out["csdid_pl"] = pl

        caught = []
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            if args.warmup:
                small = df[df["id"] <= WARMUP_UNITS]
                tw = time.perf_counter()
                runner(small, covariates, threads, WARMUP_REPS, args.seed, args.cband)
                out["warmup_s"] = time.perf_counter() - tw
                wlist.clear()
            out["warmup"] = bool(args.warmup)
            est_s, phases, aggs, info = runner(df, covariates, threads, args.reps, args.seed, args.cband, pl)
            caught = sorted({f"{w.category.__name__}: {str(w.message)[:300]}" for w in wlist})
        out["estimate_s"] = est_s
        out["phases_s"] = phases
        out["aggregates"] = aggs
        out.update(info)
        out["warnings"] = caught[:20]
        out["max_rss_mib"] = rss_mib(resource.RUSAGE_SELF)
        if args.tool == "csdid" and pl:
            # reap loky's worker processes so their peak RSS shows in RUSAGE_CHILDREN
            try:
                from joblib.externals.loky import get_reusable_executor
                get_reusable_executor().shutdown(wait=True)
            except Exception:  # pragma: no cover
                pass
        out["children_max_rss_mib"] = rss_mib(resource.RUSAGE_CHILDREN)
    except MemoryError as exc:
        out["error"] = f"oom: MemoryError: {str(exc)[:300]}"
        out["status"] = "oom"
        print(json.dumps(out))
        return 3
    out["versions"] = versions(args.tool)
    out["blas"] = blas_info()
    out["status"] = "ok"
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
