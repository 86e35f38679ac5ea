#!/usr/bin/env python3
"""How the cost of `quipu feols` grows with rows, fixed-effect levels and graph difficulty.

Three experiments, each configuration run --reps times (median reported), one run at a time:

  (A) levels:     10^7 rows, y ~ x1 + x2 | a + year, year with 10 levels, `a` with 10^2, 10^4, 10^5,
                  10^6 levels drawn at random; once with the rows in random order and once with the
                  same rows sorted by `a`. Clustered by a. Shows the cost of random access to large
                  level tables.
  (B) difficulty: fixest's "difficult" worker-firm design (issue 13) at 10^6 rows with the band of
                  neighbouring firms a worker moves among set to 3, 21, 101, 1001 or all firms
                  (a random bipartite graph). y ~ x1 + x2 | indiv + firm, clustered by indiv.
  (C) rows:       the difficult design with band 21 at 10^5, 10^6, 3*10^6, 10^7 rows, with
                  indiv + firm and indiv + firm + year (the number of years is rows / 10^5).

Each run is `/usr/bin/time -f '%e %M' quipu feols ... --format json --timings`; we record fit_seconds,
read_seconds and total_seconds and peak_memory_bytes / absorption_sweeps / solver from the timings
line, wall seconds and peak RSS from /usr/bin/time, and the load average just before the run.
Data are written once as uncompressed Arrow IPC to --data-dir (default Benchmarks/data/scaling) with
a .meta.json beside each file; a file whose meta does not match is regenerated.

Results go to results/scaling-<UTC time>.json (beside this script) and Markdown tables on stdout.

Usage: python3 Benchmarks/scaling/run_scaling.py [--quick] [--only A --only B --only C]
           [--reps 3] [--timeout 600] [--no-c-max] [--quipu .build/release/quipu]
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pyarrow.feather as feather

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_QUIPU = os.path.join(ROOT, ".build", "release", "quipu")
DEFAULT_DATA = os.path.join(ROOT, "Benchmarks", "data", "scaling")
GENERATOR_VERSION = 1


# --------------------------------------------------------------------------------------------- data

def write_arrow(df, path, meta):
    tmp = path + ".tmp"
    feather.write_feather(df, tmp, compression="uncompressed")
    os.replace(tmp, path)
    with open(path + ".meta.json", "w") as fh:
        json.dump(meta, fh, indent=1)


def have(path, meta):
    try:
        with open(path + ".meta.json") as fh:
            stored = json.load(fh)
        return os.path.exists(path) and {k: stored.get(k) for k in meta} == meta
    except (OSError, ValueError):
        return False


def levels_data(data_dir, rows, levels, seed=20260101):
    """Experiment A: `a` with `levels` random levels, `year` 10 levels; random order + sorted by a.

    Returns (random_path, sorted_path). Both files hold the same rows; the sorted file is a stable
    sort of the random one by a.
    """
    tag = f"levels_{rows:.0e}_L{levels:.0e}".replace("+0", "").replace("+", "")
    paths = (os.path.join(data_dir, tag + "_random.arrow"), os.path.join(data_dir, tag + "_sorted.arrow"))
    metas = [{"generator": "levels", "version": GENERATOR_VERSION, "rows": rows, "levels": levels,
              "seed": seed, "order": order} for order in ("random", "sorted")]
    if all(have(p, m) for p, m in zip(paths, metas)):
        return paths
    t0 = time.time()
    rng = np.random.default_rng(seed)
    a = rng.integers(1, levels + 1, rows)
    year = rng.integers(2010, 2020, rows)
    x1 = rng.normal(size=rows)
    x2 = rng.normal(size=rows) ** 2
    y = x1 + 0.5 * x2 + rng.normal(size=levels + 1)[a] + rng.normal(size=10)[year - 2010] + rng.normal(size=rows)
    df = pd.DataFrame({"y": y, "x1": x1, "x2": x2, "a": a, "year": year})
    del y, x1, x2, a, year
    write_arrow(df, paths[0], metas[0])
    order = np.argsort(df["a"].to_numpy(), kind="stable")
    df = df.take(order).reset_index(drop=True)
    del order
    write_arrow(df, paths[1], metas[1])
    print(f"  generated {tag} in {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
    return paths


def difficult_frame(n, band):
    """Issue 13's generator (fixest's difficult benchmark), with the band of firms parameterised.

    band=21 reproduces the issue exactly: firm = min(U{0..20} + max(1, indiv // 8 - 10), nb_firm).
    For band B: U{0..B-1} + max(1, indiv // 8 - B // 2), clipped to [1, nb_firm]. band=None ("all"):
    firm uniform on 1..nb_firm. The firm draw consumes the same random stream in every case, so the
    other columns are identical across bands.
    """
    rng = np.random.default_rng(1)
    nb_indiv, nb_firm, nb_year = n // 20, max(1, round(n / 160)), max(2, round(n / 1e5))
    indiv = rng.integers(1, nb_indiv + 1, n)
    if band is None:
        firm = rng.integers(1, nb_firm + 1, n)
    else:
        firm = np.clip(rng.integers(0, band, n) + np.maximum(1, indiv // 8 - band // 2), 1, nb_firm)
    year = rng.integers(1, nb_year + 1, n)
    x1 = rng.normal(size=n); x2 = rng.normal(size=n) ** 2
    fe = rng.normal(size=nb_indiv + 1)[indiv] + rng.normal(size=nb_firm + 1)[firm] + rng.normal(size=nb_year + 1)[year]
    y = x1 + 0.5 * x2 + fe + rng.normal(size=n)
    return pd.DataFrame({"indiv": indiv, "firm": firm, "year": year, "x1": x1, "x2": x2, "y": y})


def components(df):
    """Connected components of the indiv-firm bipartite graph (all rows, before singleton removal)."""
    indiv = df["indiv"].to_numpy(); firm = df["firm"].to_numpy()
    ui, ii = np.unique(indiv, return_inverse=True)
    uf, fi = np.unique(firm, return_inverse=True)
    ni, nf = len(ui), len(uf)
    try:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        g = coo_matrix((np.ones(len(ii), dtype=np.int8), (ii, ni + fi)), shape=(ni + nf, ni + nf))
        return int(connected_components(g, directed=False)[0])
    except ImportError:  # union-find by hooking and pointer jumping
        u, v = ii, ni + fi
        parent = np.arange(ni + nf)
        while True:
            while True:
                pp = parent[parent]
                if np.array_equal(pp, parent):
                    break
                parent = pp
            pu, pv = parent[u], parent[v]
            diff = pu != pv
            if not diff.any():
                return int(np.sum(parent == np.arange(ni + nf)))
            np.minimum.at(parent, np.maximum(pu, pv)[diff], np.minimum(pu, pv)[diff])


def ap_rate(df, sweeps=200, window=50):
    """Contraction rate of plain alternating projections (no acceleration) on y for indiv + firm.

    Runs `sweeps` sweeps of the two-way demeaning in numpy and takes the geometric mean ratio of
    successive changes of the residual over the last `window` sweeps. A rate ρ means about
    log(1e-8)/log(ρ) more sweeps to shrink the change by 1e-8: a guide to where sweeps stall, not
    Quipu's own (accelerated) count.
    """
    _, i = np.unique(df["indiv"].to_numpy(), return_inverse=True)
    _, f = np.unique(df["firm"].to_numpy(), return_inverse=True)
    y = df["y"].to_numpy()
    ci, cf = np.bincount(i).astype(float), np.bincount(f).astype(float)
    alpha, beta = np.zeros(len(ci)), np.zeros(len(cf))
    previous, changes = y.copy(), []
    for _ in range(sweeps):
        alpha = np.bincount(i, y - beta[f]) / ci
        beta = np.bincount(f, y - alpha[i]) / cf
        e = y - alpha[i] - beta[f]
        changes.append(float(np.linalg.norm(e - previous)))
        previous = e
    # Past convergence to rounding the ratios are noise: use the last window above 1e-12·|y|.
    usable = [c for c in changes if c > 1e-12 * float(np.linalg.norm(y))]
    if len(usable) < 2:
        rate = 0.0
    else:
        w = min(window, len(usable) - 1)
        a, b = usable[-w - 1], usable[-1]
        rate = (b / a) ** (1 / w)
    sweeps_1e8 = (np.log(1e-8) / np.log(rate)) if 0 < rate < 1 else None
    return {"ap_rate": rate, "ap_sweeps_for_1e-8": sweeps_1e8, "ap_rate_sweeps": sweeps}


def envelope(df):
    """What Quipu's preconditioner would face for indiv + firm: the reduced matrix over firms.

    Workers (the larger factor) are eliminated; S over firms has a nonzero wherever two firms
    share a worker. Its envelope (lower profile including the diagonal) in scipy's reverse
    Cuthill–McKee order is compared with Quipu's entry budget, max(cells, 2^21), where cells are
    the distinct worker × firm pairs. Quipu's own RCM (start node, tie-breaking) and its removal of
    singletons differ slightly, so this is an estimate of whether the exact factor is built.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import reverse_cuthill_mckee
    _, i = np.unique(df["indiv"].to_numpy(), return_inverse=True)
    _, f = np.unique(df["firm"].to_numpy(), return_inverse=True)
    incidence = csr_matrix((np.ones(len(i), dtype=np.float32), (i, f)), shape=(i.max() + 1, f.max() + 1))
    incidence.sum_duplicates()
    cells = int(incidence.nnz)
    incidence.data[:] = 1
    s = (incidence.T @ incidence).tocsr()
    perm = reverse_cuthill_mckee(s, symmetric_mode=True)
    s = s[perm][:, perm].tocsr()
    rows = np.repeat(np.arange(s.shape[0]), np.diff(s.indptr))
    earliest = np.full(s.shape[0], np.iinfo(np.int64).max)
    np.minimum.at(earliest, rows, s.indices)
    earliest = np.minimum(earliest, np.arange(s.shape[0]))
    entries = int(np.sum(np.arange(s.shape[0]) - earliest + 1))
    budget = max(cells, 1 << 21)
    return {"cells": cells, "reduced_size": int(s.shape[0]), "reduced_nnz": int(s.nnz),
            "envelope_entries_rcm": entries, "envelope_budget": budget, "envelope_fits": entries <= budget}


def difficult_data(data_dir, rows, band, rate=False, env=False):
    name = "all" if band is None else f"b{band}"
    tag = f"difficult_{rows:.0e}_{name}".replace("+0", "").replace("+", "")
    path = os.path.join(data_dir, tag + ".arrow")
    meta = {"generator": "difficult (issue 13, band parameterised)", "version": GENERATOR_VERSION,
            "rows": rows, "band": name}
    if have(path, meta):
        with open(path + ".meta.json") as fh:
            stats = json.load(fh).get("stats") or {}
        if (not rate or "ap_rate" in stats) and (not env or "envelope_entries_rcm" in stats):
            return path, stats
        df = feather.read_feather(path)
        if rate and "ap_rate" not in stats:
            stats.update(ap_rate(df))
        if env and "envelope_entries_rcm" not in stats:
            stats.update(envelope(df))
        with open(path + ".meta.json") as fh:
            full = json.load(fh)
        full["stats"] = stats
        with open(path + ".meta.json", "w") as fh:
            json.dump(full, fh, indent=1)
        return path, stats
    t0 = time.time()
    df = difficult_frame(rows, band)
    stats = {"indiv_levels": int(df["indiv"].nunique()), "firm_levels": int(df["firm"].nunique()),
             "year_levels": int(df["year"].nunique())}
    try:
        stats["components"] = components(df)
    except Exception as exc:  # keep going: components are optional
        stats["components_error"] = repr(exc)
    if rate:
        stats.update(ap_rate(df))
    if env:
        stats.update(envelope(df))
    write_arrow(df, path, meta)
    with open(path + ".meta.json") as fh:
        full = json.load(fh)
    full["stats"] = stats  # stored after `meta` so `have` compares the generator fields only
    with open(path + ".meta.json", "w") as fh:
        json.dump(full, fh, indent=1)
    print(f"  generated {tag} in {time.time() - t0:.1f} s {stats}", file=sys.stderr, flush=True)
    return path, stats


# ---------------------------------------------------------------------------------------------- runs

def one_run(binary, data, formula, cluster, timeout):
    load = os.getloadavg()
    command = [binary, "feols", "--data", data, "--formula", formula, "--vcov", f"cluster:{cluster}",
               "--format", "json", "--timings"]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stamp:
        try:
            done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", stamp.name] + command,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"ok": False, "timeout": True, "error": f"timeout after {timeout:g} s", "load": load}
        fields = open(stamp.name).read().split()
    run = {"ok": done.returncode == 0, "timeout": False, "load": load, "returncode": done.returncode}
    try:
        run["wall"], run["peak_rss_kib"] = float(fields[-2]), int(fields[-1])
    except (IndexError, ValueError):
        pass
    if not run["ok"]:
        run["error"] = done.stderr[-1500:]
        return run
    out = json.loads(done.stdout)
    timings = json.loads(done.stderr.strip().splitlines()[-1])["timings"]
    run.update({k: timings.get(k) for k in ("read_seconds", "fit_seconds", "frame_seconds", "estimate_seconds",
                                             "vcov_seconds", "total_seconds", "peak_memory_bytes",
                                             "absorption_sweeps", "solver")})
    run["nobs"] = out.get("nobs")
    run["singletons"] = out.get("dropped", {}).get("singletons")
    run["fixed_effects"] = out.get("fixed_effects")
    run["redundant"] = out.get("fixed_effects_redundant")
    run["coef"] = {c["term"]: c["estimate"] for c in out["coefficients"]}
    run["se"] = {c["term"]: c["std_error"] for c in out["coefficients"]}
    return run


def med(runs, key):
    values = [r[key] for r in runs if r.get("ok") and r.get(key) is not None]
    return statistics.median(values) if values else None


def configuration(args, experiment, label, data, formula, cluster, rows, extra):
    runs = []
    for rep in range(args.reps):
        run = one_run(args.quipu, data, formula, cluster, args.timeout)
        runs.append(run)
        status = (f"fit {run['fit_seconds']:.3f} s wall {run.get('wall')} s sweeps {run['absorption_sweeps']} "
                  f"{run['solver']}" if run["ok"] else run.get("error", "failed")[:200])
        print(f"  [{experiment}] {label} rep {rep + 1}: {status} (load {run['load'][0]:.2f})",
              file=sys.stderr, flush=True)
        if not run["ok"]:
            break  # a timeout or failure will repeat: do not spend more time on it
    ok = [r for r in runs if r["ok"]]
    solvers = sorted({r["solver"] for r in ok})
    sweeps = sorted({r["absorption_sweeps"] for r in ok})
    summary = {
        "experiment": experiment, "label": label, "data": data, "formula": formula, "cluster": cluster,
        "rows": rows, **extra, "runs": len(runs), "ok_runs": len(ok),
        "timeouts": sum(1 for r in runs if r.get("timeout")),
        "failed": sum(1 for r in runs if not r["ok"] and not r.get("timeout")),
        "median_fit": med(runs, "fit_seconds"), "median_read": med(runs, "read_seconds"),
        "median_frame": med(runs, "frame_seconds"), "median_estimate": med(runs, "estimate_seconds"),
        "median_vcov": med(runs, "vcov_seconds"),
        "median_total": med(runs, "total_seconds"), "median_wall": med(runs, "wall"),
        "median_peak_rss_mib": (med(runs, "peak_rss_kib") or 0) / 1024 or None,
        "median_peak_memory_mib": (med(runs, "peak_memory_bytes") or 0) / 2 ** 20 or None,
        "sweeps": sweeps[0] if len(sweeps) == 1 else sweeps,
        "solver": solvers[0] if len(solvers) == 1 else solvers,
        "nobs": ok[0]["nobs"] if ok else None, "redundant": ok[0]["redundant"] if ok else None,
        "coef": ok[0]["coef"] if ok else None,
        "load_1min": [r["load"][0] for r in runs],
    }
    return summary, runs


# -------------------------------------------------------------------------------------------- tables

def sci(n):
    """10^7, 3·10^6, 625."""
    n = int(n)
    e = len(str(n)) - 1
    m = n // 10 ** e
    if n != m * 10 ** e or e < 2:
        return str(n)
    return f"10^{e}" if m == 1 else f"{m}·10^{e}"


def fmt(value, digits=3):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def status(s):
    if s["timeouts"]:
        return "timeout"
    if s["failed"]:
        return "failed"
    return ""


def loads(s):
    v = s["load_1min"]
    return f"{min(v):.1f}–{max(v):.1f}" if v else "—"


def table_a(summaries):
    lines = ["| `a` levels | order | fit s | frame s | estimate s | vcov s | read s | wall s | peak RSS MiB | bytes/row | sweeps | solver | load (1 min) | |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for s in summaries:
        bpr = s["median_peak_rss_mib"] * 2 ** 20 / s["rows"] if s["median_peak_rss_mib"] else None
        lines.append(f"| {sci(s['levels'])} | {s['order']} | {fmt(s['median_fit'])} | {fmt(s['median_frame'])} | "
                     f"{fmt(s['median_estimate'])} | {fmt(s['median_vcov'])} | {fmt(s['median_read'])} | "
                     f"{fmt(s['median_wall'], 2)} | {fmt(s['median_peak_rss_mib'], 0)} | {fmt(bpr, 0)} | "
                     f"{fmt(s['sweeps'])} | {fmt(s['solver'])} | {loads(s)} | {status(s)} |")
    return "\n".join(lines)


def table_b(summaries):
    lines = ["| band | firms | components | redundant | plain AP rate ρ | plain AP sweeps to 1e-8 | cells | envelope (RCM) | fits budget | fit s | estimate s | wall s | peak RSS MiB | sweeps | solver | load (1 min) | |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for s in summaries:
        st = s.get("stats") or {}
        lines.append(f"| {s['band']} | {fmt(st.get('firm_levels'))} | {fmt(st.get('components'))} | {fmt(s['redundant'])} | "
                     f"{fmt(st.get('ap_rate'), 6)} | {fmt(st.get('ap_sweeps_for_1e-8'), 0)} | "
                     f"{fmt(st.get('cells'))} | {fmt(st.get('envelope_entries_rcm'))} | "
                     f"{'yes' if st.get('envelope_fits') else ('no' if 'envelope_fits' in st else '—')} | "
                     f"{fmt(s['median_fit'])} | {fmt(s['median_estimate'])} | {fmt(s['median_wall'], 2)} | {fmt(s['median_peak_rss_mib'], 0)} | "
                     f"{fmt(s['sweeps'])} | {fmt(s['solver'])} | {loads(s)} | {status(s)} |")
    return "\n".join(lines)


def envelope_cell(st):
    if "envelope_entries_rcm" not in st:
        return "—"
    return f"{st['envelope_entries_rcm']:,} / {st['envelope_budget']:,}"


def table_c(summaries):
    lines = ["| rows | FE | years | firms | 2-FE envelope / budget | fit s | frame s | estimate s | fit s per 10^7 rows·FE | wall s | peak RSS MiB | bytes/row | sweeps | solver | load (1 min) | |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |"]
    for s in summaries:
        st = s.get("stats") or {}
        per = s["median_fit"] / (s["rows"] / 1e7 * s["fe"]) if s["median_fit"] is not None else None
        bpr = s["median_peak_rss_mib"] * 2 ** 20 / s["rows"] if s["median_peak_rss_mib"] else None
        lines.append(f"| {sci(s['rows'])} | {s['fe']} | {fmt(st.get('year_levels'))} | {fmt(st.get('firm_levels'))} | "
                     f"{envelope_cell(st)} | {fmt(s['median_fit'])} | "
                     f"{fmt(s['median_frame'])} | {fmt(s['median_estimate'])} | {fmt(per)} | "
                     f"{fmt(s['median_wall'], 2)} | {fmt(s['median_peak_rss_mib'], 0)} | {fmt(bpr, 0)} | "
                     f"{fmt(s['sweeps'])} | {fmt(s['solver'])} | {loads(s)} | {status(s)} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="reduced sizes (10^5 rows) to check the script")
    ap.add_argument("--only", action="append", choices=["A", "B", "C"], help="experiments to run (default all)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    ap.add_argument("--no-c-max", action="store_true", help="drop the largest row count of (C)")
    ap.add_argument("--no-rate", action="store_true",
                    help="skip the numpy/scipy estimates of the alternating-projection rate (B) and of the envelope (B, C)")
    ap.add_argument("--quipu", default=DEFAULT_QUIPU)
    ap.add_argument("--data-dir", default=DEFAULT_DATA)
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    if not os.access(args.quipu, os.X_OK):
        sys.exit(f"quipu binary not found or not executable: {args.quipu}")
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("/usr/bin/time (GNU time) is required")
    os.makedirs(args.data_dir, exist_ok=True); os.makedirs(args.results_dir, exist_ok=True)
    only = set(args.only or ["A", "B", "C"])

    if args.quick:
        a_rows, a_levels = 10 ** 5, [10 ** 2, 10 ** 4]
        b_rows, bands = 10 ** 5, [3, 21, 101, 1001, None]
        c_rows = [10 ** 4, 3 * 10 ** 4, 10 ** 5]
    else:
        a_rows, a_levels = 10 ** 7, [10 ** 2, 10 ** 4, 10 ** 5, 10 ** 6]
        b_rows, bands = 10 ** 6, [3, 21, 101, 1001, None]
        c_rows = [10 ** 5, 10 ** 6, 3 * 10 ** 6, 10 ** 7]
    if args.no_c_max:
        c_rows = c_rows[:-1]

    started = time.time()
    record = {"created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": args.quick,
              "quipu": args.quipu, "reps": args.reps, "timeout": args.timeout, "nproc": os.cpu_count(),
              "machine": platform.platform(), "python": sys.version.split()[0],
              "numpy": np.__version__, "pandas": pd.__version__,
              "load_at_start": os.getloadavg(), "summaries": {"A": [], "B": [], "C": []}, "runs": []}
    try:
        record["commit"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True,
                                          text=True).stdout.strip()
    except OSError:
        pass
    try:
        record["quipu_sha256_head"] = subprocess.run(["sha256sum", args.quipu], capture_output=True,
                                                     text=True).stdout.split()[0]
    except (OSError, IndexError):
        pass
    print(f"load average at start: {record['load_at_start']}", file=sys.stderr, flush=True)

    def add(experiment, summary, runs, **extra):
        summary.update(extra)
        record["summaries"][experiment].append(summary)
        for i, r in enumerate(runs):
            record["runs"].append({"experiment": experiment, "label": summary["label"], "rep": i + 1, **r})

    if "A" in only:
        for levels in a_levels:
            paths = levels_data(args.data_dir, a_rows, levels)
            for order, path in zip(("random", "sorted"), paths):
                s, runs = configuration(args, "A", f"a={sci(levels)} {order}", path, "y ~ x1 + x2 | a + year",
                                        "a", a_rows, {"levels": levels, "order": order})
                add("A", s, runs)
    if "B" in only:
        for band in bands:
            path, stats = difficult_data(args.data_dir, b_rows, band, rate=not args.no_rate, env=not args.no_rate)
            name = "all" if band is None else str(band)
            s, runs = configuration(args, "B", f"band={name}", path, "y ~ x1 + x2 | indiv + firm", "indiv",
                                    b_rows, {"band": name, "stats": stats})
            add("B", s, runs)
    if "C" in only:
        for rows in c_rows:
            path, stats = difficult_data(args.data_dir, rows, 21, env=not args.no_rate)
            for fe, formula in ((2, "y ~ x1 + x2 | indiv + firm"), (3, "y ~ x1 + x2 | indiv + firm + year")):
                s, runs = configuration(args, "C", f"rows={sci(rows)} fe={fe}", path, formula, "indiv", rows,
                                        {"fe": fe, "stats": stats})
                add("C", s, runs)

    record["elapsed_seconds"] = time.time() - started
    all_loads = [r["load"][0] for r in record["runs"]]
    record["load_1min_range"] = [min(all_loads), max(all_loads)] if all_loads else None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = os.path.join(args.results_dir, f"scaling-{stamp}{'-quick' if args.quick else ''}.json")
    with open(out, "w") as fh:
        json.dump(record, fh, indent=1)

    print(f"# Quipu scaling ({'quick, ' if args.quick else ''}{record['created']}, {args.reps} runs each, median)\n")
    if record["summaries"]["A"]:
        print(f"## (A) levels: {sci(a_rows)} rows, y ~ x1 + x2 | a + year, cluster a\n")
        print(table_a(record["summaries"]["A"]) + "\n")
    if record["summaries"]["B"]:
        print(f"## (B) difficulty: worker-firm design, {sci(b_rows)} rows, y ~ x1 + x2 | indiv + firm, cluster indiv\n")
        print(table_b(record["summaries"]["B"]) + "\n")
    if record["summaries"]["C"]:
        print("## (C) rows: worker-firm design, band 21, cluster indiv\n")
        print(table_c(record["summaries"]["C"]) + "\n")
    if all_loads:
        print(f"Load average (1 min) before the runs: {min(all_loads):.2f}–{max(all_loads):.2f} "
              f"on {os.cpu_count()} cores. Elapsed {record['elapsed_seconds'] / 60:.1f} min.\n")
    print(f"Results: {out}")
    bad = [s["label"] for e in record["summaries"].values() for s in e if s["ok_runs"] < s["runs"]]
    if bad:
        print(f"Timed out or failed: {', '.join(bad)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
