#!/usr/bin/env python3
"""Time pyfixest feols + the `wildboottest` wild cluster bootstrap (WCR, Rademacher, '11').

Model: y ~ treat + x1 | cluster + year, CRV1 by cluster, H0: treat = 0, seed 42.

For every (data set, thread count) the driver starts a worker process with
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / NUMBA_NUM_THREADS = threads (threads = 2 also
passes parallel=True, so the numba bootstrap loop runs on 2 threads; pyfixest's default is
parallel=False). The worker reads the CSV once (not timed), then times `--runs` runs of the
timed region and reports the median. Two ways of running the same test are timed:

  pyfixest  pf.feols(...) then Feols.wildboottest(reps, param="treat", seed=42): exactly what a
            pyfixest user does. pyfixest builds a DENSE one-hot design (intercept, regressors,
            one dummy per fixed-effect level but the first) and wildboottest keeps a copy of every
            cluster's rows and a k x k cross-product per cluster. With 10^6 rows and 1,000
            clusters, k = 1,011: about 8 GB for the design, 8 GB for the per-cluster row copies and
            8 GB for the cross-products, more than this machine has, so this path is skipped
            (with the estimate recorded) when it would not fit in --mem-fraction of MemAvailable.
  absorbed  pf.feols(...) for the estimate, then the same WildboottestCL calls as pyfixest on a
            reduced design: the cluster fixed effect, which is nested in the bootstrap clusters,
            is absorbed by within-cluster demeaning, and year stays as 9 dummy columns. By
            Frisch-Waugh-Lovell and because the bootstrap residuals are orthogonal to every
            cluster dummy, this gives the same bootstrap t statistics as pyfixest's design up to
            the constant small-sample factor, hence the same p-value for the same seed (checked
            on the 10^5-row data when both paths run; see Tests/Fixtures/wildboot/README.md).
            The reported t statistic is rescaled to pyfixest's/wildboottest's factor.

The timed region includes the feols fit, building the bootstrap design and the whole bootstrap
(weights, scores, numba loop, p-value); it excludes reading the CSV. Before timing, each worker
runs one untimed warm-up on 5 clusters with B = 99 (--no-warmup to skip): pyfixest compiles its
numba demeaning once per process (about 2.5 s), which is start-up cost rather than estimation.
wildboottest defines its numba bootstrap loop inside `get_denom`, so it is recompiled on every
call (about 0.3 s serial, 1.5-4 s with parallel=True); that stays in the timing because every
user call pays it.

Usage:
    python Benchmarks/bootstrap/wildboottest_bench.py                # both data sets, 1 and 2 threads
    python Benchmarks/bootstrap/wildboottest_bench.py --configs small  # only 10^5 / 50
Writes Benchmarks/bootstrap/results/wildboottest-<UTC stamp>.json (or --out) and prints a summary.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMULA = "y ~ treat + x1 | cluster + year"
PARAM = "treat"
SEED = 42

CONFIGS = {
    "small": {"data": "boot_1e5_g50.csv", "rows": 100_000, "clusters": 50, "reps": 9_999,
              "modes": ["pyfixest", "absorbed"]},
    "large": {"data": "boot_1e6_g1000.csv", "rows": 1_000_000, "clusters": 1_000, "reps": 99_999,
              "modes": ["pyfixest", "absorbed"]},
}


# ----------------------------------------------------------------------------------------------
# worker (runs in a child process with the thread environment already set)
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


def worker(args) -> None:
    import resource
    import warnings

    import numpy as np
    import pandas as pd
    import pyfixest as pf
    from wildboottest.wildboottest import WildboottestCL

    threads = args.threads
    parallel = threads > 1
    data = pd.read_csv(args.data)
    N = len(data)
    G = int(data["cluster"].nunique())
    n_years = int(data["year"].nunique())
    k_dummy = 1 + 2 + (G - 1) + (n_years - 1)

    def run_pyfixest(data, reps):
        fit = pf.feols(FORMULA, data=data, vcov={"CRV1": "cluster"})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fit.wildboottest(reps=reps, param=PARAM, seed=SEED, parallel=parallel)
        return {"p_value": float(res["Pr(>|t|)"]), "t_stat": float(res["t value"]),
                "coef": float(fit.coef()[PARAM]), "nobs": int(fit._N)}

    def run_absorbed(data, reps):
        fit = pf.feols(FORMULA, data=data, vcov={"CRV1": "cluster"})
        d = fit._data  # estimation sample (missing rows and singletons dropped)
        cl = d["cluster"].to_numpy()
        Z = pd.concat([d[["treat", "x1"]].astype(float),
                       pd.get_dummies(d["year"], prefix="year", drop_first=True, dtype=float)], axis=1)
        Z["__y"] = d["y"].astype(float)
        Zd = Z - Z.groupby(cl).transform("mean")
        Y = Zd.pop("__y").to_numpy()
        X = Zd.to_numpy()
        R = np.zeros(X.shape[1])
        R[list(Zd.columns).index(PARAM)] = 1.0
        boot = WildboottestCL(X=X, Y=Y, cluster=cl, R=R, B=reps, seed=SEED, parallel=parallel)
        boot.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
        boot.get_weights(weights_type="rademacher")
        boot.get_numer(); boot.get_denom(); boot.get_tboot(); boot.get_vcov(); boot.get_tstat()
        boot.get_pvalue(pval_type="two-tailed")
        n, k = X.shape
        Gc = len(np.unique(cl))
        ssc_red = (n - 1) / (n - k) * Gc / (Gc - 1)
        ssc_full = (n - 1) / (n - k_dummy) * Gc / (Gc - 1)
        t_red = float(np.asarray(boot.t_stat).ravel()[0])
        return {"p_value": float(boot.pvalue), "t_stat": t_red * (ssc_red / ssc_full) ** 0.5,
                "coef": float(fit.coef()[PARAM]), "nobs": int(fit._N), "k_reduced": int(k)}

    fn = {"pyfixest": run_pyfixest, "absorbed": run_absorbed}[args.mode]
    out = {"mode": args.mode, "threads": threads, "parallel": parallel, "reps": args.reps,
           "nobs_read": N, "clusters": G, "k_dummy_design": k_dummy}

    if args.mode == "pyfixest":
        # dense one-hot design + per-cluster row copies + per-cluster k x k cross-products
        need = 2 * N * k_dummy * 8 + G * k_dummy * k_dummy * 8
        avail = mem_available_bytes()
        out["memory_estimate_bytes"] = need
        out["mem_available_bytes"] = avail
        if avail and need > args.mem_fraction * avail:
            out["skipped"] = (f"pyfixest's one-hot design needs about {need / 2**30:.1f} GiB "
                              f"(N={N:,} x k={k_dummy:,} dense twice, plus {G:,} k x k cross-products); "
                              f"{avail / 2**30:.1f} GiB available")
            print(json.dumps(out))
            return

    if args.warmup:
        # untimed: triggers numba compilation of pyfixest's demeaning (cached for the process);
        # wildboottest recompiles its bootstrap loop on every call, so that stays in the timing
        warm = data[data["cluster"].isin(sorted(data["cluster"].unique())[:5])]
        fn(warm, 99)
    out["warmup"] = bool(args.warmup)
    times, results = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        r = fn(data, args.reps)
        times.append(time.perf_counter() - t0)
        results.append(r)
    out.update(results[0])
    out["p_values_all_runs"] = [r["p_value"] for r in results]
    out["times_s"] = times
    out["median_s"] = statistics.median(times)
    out["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


# ----------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------

def versions() -> dict:
    from importlib.metadata import version
    v = {"python": platform.python_version()}
    for p in ("pyfixest", "wildboottest", "numpy", "pandas", "numba", "scipy", "formulaic"):
        try:
            v[p] = version(p)
        except Exception:  # pragma: no cover
            v[p] = None
    return v


def loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--configs", nargs="+", default=["small", "large"], choices=sorted(CONFIGS))
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--modes", nargs="+", default=None, choices=["pyfixest", "absorbed"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data-dir", default=str(HERE / "data"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--mem-fraction", type=float, default=0.6)
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--no-warmup", dest="warmup", action="store_false",
                    help="do not run an untimed warm-up fit on 5 clusters before timing")
    # worker mode
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        args.threads = args.threads[0]
        worker(args)
        return 0

    records = []
    failed = False
    for name in args.configs:
        cfg = CONFIGS[name]
        path = Path(args.data_dir) / cfg["data"]
        if not path.exists():
            sys.exit(f"missing {path}: run Benchmarks/bootstrap/run_bootstrap_bench.sh (it generates the data)")
        for mode in (args.modes or cfg["modes"]):
            for th in args.threads:
                env = dict(os.environ)
                for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
                    env[var] = str(th)
                env["PYTHONHASHSEED"] = "0"
                cmd = [sys.executable, __file__, "--worker", "--data", str(path), "--mode", mode,
                       "--reps", str(cfg["reps"]), "--threads", str(th), "--runs", str(args.runs),
                       "--mem-fraction", str(args.mem_fraction)] + ([] if args.warmup else ["--no-warmup"])
                la = loadavg()
                print(f"[wildboottest] {name} ({cfg['rows']:,} rows, {cfg['clusters']:,} clusters, "
                      f"B={cfg['reps']:,}) mode={mode} threads={th} load={la:.2f} ...", file=sys.stderr, flush=True)
                if la > 0.5:
                    print(f"[wildboottest] warning: load average {la:.2f} > 0.5; timings may be inflated",
                          file=sys.stderr)
                try:
                    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    rec = {"mode": mode, "threads": th, "error": f"timeout after {args.timeout} s"}
                    failed = True
                else:
                    if proc.returncode != 0:
                        rec = {"mode": mode, "threads": th, "error": proc.stderr.strip()[-2000:]}
                        failed = True
                    else:
                        rec = json.loads(proc.stdout.strip().splitlines()[-1])
                rec.update({"config": name, "data": str(path.relative_to(HERE.parents[1])) if path.is_relative_to(HERE.parents[1]) else str(path),
                            "rows": cfg["rows"], "n_clusters": cfg["clusters"], "load_before": la})
                msg = rec.get("skipped") or rec.get("error") or (
                    f"median {rec['median_s']:.2f} s (runs {', '.join(f'{t:.2f}' for t in rec['times_s'])}), "
                    f"p = {rec['p_value']:.6f}, t = {rec['t_stat']:.4f}, max RSS {rec['max_rss_mib']:.0f} MiB")
                print(f"[wildboottest]   -> {msg}", file=sys.stderr, flush=True)
                records.append(rec)

    # same-seed check: pyfixest and absorbed must give the same p-value
    for name in args.configs:
        ps = {(r["mode"], r["threads"]): r.get("p_value") for r in records if r["config"] == name}
        pv = [p for p in ps.values() if p is not None]
        if len(set(pv)) > 1:
            print(f"[wildboottest] WARNING: p-values differ across modes/threads for {name}: {ps}", file=sys.stderr)
            failed = True

    doc = {
        "benchmark": "wild cluster bootstrap, pyfixest + wildboottest",
        "formula": FORMULA, "vcov": "CRV1 by cluster", "param": PARAM, "seed": SEED,
        "bootstrap": "WCR (impose_null=True), Rademacher weights, bootstrap_type '11', symmetric p-value",
        "timed_region": "pf.feols + bootstrap design + WildboottestCL (weights, scores, numba loop, p-value); CSV reading excluded",
        "date_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": versions(),
        "runs_per_config": args.runs,
        "results": records,
    }
    out = Path(args.out) if args.out else HERE / "results" / (
        "wildboottest-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"[wildboottest] wrote {out}", file=sys.stderr)
    print(str(out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
