#!/usr/bin/env python3
"""Time `quipu feols ... --bootstrap wild` and compare with a wildboottest_bench.py result.

For each data set (10^6 rows / 1,000 clusters with B = 99,999; 10^5 rows / 50 clusters with
B = 9,999) and each thread count N (default 1 and 2) it runs, --runs times (default 3):

  quipu feols --data FILE --formula "y ~ treat + x1 | cluster + year" --vcov cluster:cluster
        --bootstrap wild --reps B --seed 42 --param treat --threads N --format json --timings

and records the median wall time (end to end, including reading the CSV) and the median of
Quipu's own `fit_seconds` from --timings (everything after reading the CSV: the region that
wildboottest_bench.py times on the Python side). If the binary is missing or its
`feols --help` lacks any of --bootstrap, --reps, --seed, --param, --threads, the Quipu part is
skipped with a clear message and the table shows n/a.

It prints a Markdown table to stdout and writes Benchmarks/bootstrap/results/bootstrap-<stamp>.json.
Exit status: 0, or 1 if a Quipu run failed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FORMULA = "y ~ treat + x1 | cluster + year"
PARAM = "treat"
SEED = 42
CONFIGS = {
    "large": {"data": "boot_1e6_g1000.csv", "rows": 1_000_000, "clusters": 1_000, "reps": 99_999},
    "small": {"data": "boot_1e5_g50.csv", "rows": 100_000, "clusters": 50, "reps": 9_999},
}
REQUIRED_FLAGS = ["--bootstrap", "--reps", "--seed", "--param", "--threads"]


def check_quipu(path: Path) -> str | None:
    """None if usable, else the reason it is not."""
    if not path.exists() or not os.access(path, os.X_OK):
        return f"Quipu binary {path} not found (build it with: swift build -c release --product quipu)"
    try:
        proc = subprocess.run([str(path), "feols", "--help"], capture_output=True, text=True, timeout=60)
    except Exception as exc:  # pragma: no cover
        return f"could not run {path} feols --help: {exc}"
    text = proc.stdout + proc.stderr
    missing = [f for f in REQUIRED_FLAGS if f not in text]
    if missing:
        return f"{path} feols lacks {', '.join(missing)}: this build has no wild bootstrap; rebuild once it is merged"
    return None


def bootstrap_entry(doc: dict) -> tuple[dict | None, dict | None]:
    for row in doc.get("coefficients", []):
        if row.get("term") == PARAM:
            return row, row.get("bootstrap")
    return None, None


def run_quipu(quipu: Path, data: Path, reps: int, threads: int, runs: int, timeout: float) -> dict:
    cmd = [str(quipu), "feols", "--data", str(data), "--formula", FORMULA, "--vcov", "cluster:cluster",
           "--bootstrap", "wild", "--reps", str(reps), "--seed", str(SEED), "--param", PARAM,
           "--threads", str(threads), "--format", "json", "--timings"]
    rec: dict = {"threads": threads, "command": " ".join(cmd[:3] + [f'"{FORMULA}"' if c == FORMULA else c for c in cmd[3:]])}
    walls, fits, pvals = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            rec["error"] = f"timeout after {timeout} s"
            return rec
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            rec["error"] = (proc.stderr.strip() or proc.stdout.strip())[-2000:]
            return rec
        try:
            doc = json.loads(proc.stdout)
        except json.JSONDecodeError:
            rec["error"] = "output is not JSON: " + proc.stdout[:500]
            return rec
        row, boot = bootstrap_entry(doc)
        if boot is None:
            rec["error"] = f"no bootstrap entry for {PARAM} in Quipu's JSON"
            return rec
        walls.append(wall)
        pvals.append(boot.get("p_value"))
        for line in proc.stderr.splitlines():
            try:
                t = json.loads(line).get("timings")
            except (json.JSONDecodeError, AttributeError):
                continue
            if t and "fit_seconds" in t:
                fits.append(t["fit_seconds"])
        rec.update({"p_value": boot.get("p_value"), "full_enumeration": boot.get("full_enumeration"),
                    "reps_reported": boot.get("reps"), "estimate": row.get("estimate"),
                    "t_stat_crv1": row.get("statistic"), "nobs": doc.get("nobs")})
    rec["wall_s"] = walls
    rec["median_wall_s"] = statistics.median(walls)
    if len(fits) == len(walls):
        rec["fit_s"] = fits
        rec["median_fit_s"] = statistics.median(fits)
    rec["p_values_all_runs"] = pvals
    return rec


def latest_wildboottest_json() -> Path | None:
    files = sorted((HERE / "results").glob("wildboottest-*.json"))
    return files[-1] if files else None


def fmt(x, spec=".2f"):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def fmtx(x):
    return "n/a" if x is None else f"{x:.2f}x"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quipu", default=str(REPO / ".build" / "release" / "quipu"))
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--configs", nargs="+", default=["large", "small"], choices=sorted(CONFIGS))
    ap.add_argument("--data-dir", default=str(HERE / "data"))
    ap.add_argument("--wildboottest-json", default=None, help="default: newest results/wildboottest-*.json")
    ap.add_argument("--skip-quipu", action="store_true")
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)

    quipu = Path(args.quipu)
    reason = "--skip-quipu given" if args.skip_quipu else check_quipu(quipu)
    if reason:
        bar = "=" * 78
        print(f"{bar}\n[quipu] SKIPPING the Quipu timings: {reason}\n{bar}", file=sys.stderr)

    wb_path = Path(args.wildboottest_json) if args.wildboottest_json else latest_wildboottest_json()
    wb = json.loads(wb_path.read_text()) if wb_path and wb_path.exists() else None
    if wb is None:
        print("[quipu] no wildboottest result found: run wildboottest_bench.py first", file=sys.stderr)

    failed = False
    quipu_results = {}
    for name in args.configs:
        cfg = CONFIGS[name]
        data = Path(args.data_dir) / cfg["data"]
        recs = []
        if not reason:
            if not data.exists():
                sys.exit(f"missing {data}: run run_bootstrap_bench.sh (it generates the data)")
            for th in args.threads:
                print(f"[quipu] {name} B={cfg['reps']:,} threads={th} load={os.getloadavg()[0]:.2f} ...",
                      file=sys.stderr, flush=True)
                la = os.getloadavg()[0]
                rec = run_quipu(quipu, data, cfg["reps"], th, args.runs, args.timeout)
                rec["load_before"] = la
                if "error" in rec:
                    failed = True
                    print(f"[quipu]   -> FAILED: {rec['error']}", file=sys.stderr)
                else:
                    print(f"[quipu]   -> median wall {rec['median_wall_s']:.2f} s, fit {fmt(rec.get('median_fit_s'))} s, "
                          f"p = {rec['p_value']}", file=sys.stderr)
                recs.append(rec)
        quipu_results[name] = recs

    # ---------------------------------------------------------------- Markdown
    lines = []
    lines.append(f"Wild cluster bootstrap benchmark: `{FORMULA}`, CRV1 by cluster, H0: {PARAM} = 0, "
                 f"WCR, Rademacher, seed {SEED}. Median of {args.runs} runs. Python times exclude reading the CSV; "
                 "Quipu `fit` = its --timings fit_seconds (also excludes reading), `wall` = whole process.")
    if wb:
        v = wb.get("versions", {})
        lines.append(f"pyfixest {v.get('pyfixest')}, wildboottest {v.get('wildboottest')}, numba {v.get('numba')}, "
                     f"numpy {v.get('numpy')}; wildboottest results from `{wb_path.relative_to(REPO) if wb_path.is_relative_to(REPO) else wb_path}` "
                     f"({wb.get('date_utc')}).")
    if reason:
        lines.append(f"Quipu: skipped ({reason}).")
    lines.append("")
    lines.append("| data | B | tool | 1 thread (s) | 2 threads (s) | scaling 1→2 | p-value | MC SE |")
    lines.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    summary = []
    for name in args.configs:
        cfg = CONFIGS[name]
        label = f"{cfg['rows']:.0e} rows / {cfg['clusters']:,} cl".replace("e+0", "e")
        B = cfg["reps"]
        wb_rows = [r for r in (wb or {}).get("results", []) if r.get("config") == name]
        by_mode: dict = {}
        for r in wb_rows:
            by_mode.setdefault(r["mode"], {})[r["threads"]] = r
        entry = {"config": name, "rows": cfg["rows"], "clusters": cfg["clusters"], "reps": B}
        best_wb = None
        for mode, title in (("pyfixest", "pyfixest `Feols.wildboottest`"),
                            ("absorbed", "wildboottest, cluster FE absorbed")):
            m = by_mode.get(mode)
            if not m:
                continue
            t1 = m.get(1, {}).get("median_s")
            t2 = m.get(2, {}).get("median_s")
            p = next((r.get("p_value") for r in m.values() if r.get("p_value") is not None), None)
            skipped = next((r.get("skipped") for r in m.values() if r.get("skipped")), None)
            if skipped:
                lines.append(f"| {label} | {B:,} | {title} | skipped | skipped | | | |")
                entry[f"wildboottest_{mode}_skipped"] = skipped
                continue
            se = math.sqrt(p * (1 - p) / B) if p is not None else None
            lines.append(f"| {label} | {B:,} | {title} | {fmt(t1)} | {fmt(t2)} | {fmtx(ratio(t1, t2))} | "
                         f"{fmt(p, '.5f')} | {fmt(se, '.5f')} |")
            entry[f"wildboottest_{mode}"] = {"median_s_1": t1, "median_s_2": t2, "p_value": p, "mc_se": se}
            if best_wb is None or mode == "pyfixest":
                best_wb = (mode, t1, t2, p)
        q = {r["threads"]: r for r in quipu_results.get(name, []) if "error" not in r}
        qf1, qf2 = q.get(1, {}).get("median_fit_s"), q.get(2, {}).get("median_fit_s")
        qw1, qw2 = q.get(1, {}).get("median_wall_s"), q.get(2, {}).get("median_wall_s")
        qp = next((r.get("p_value") for r in q.values()), None)
        qse = math.sqrt(qp * (1 - qp) / B) if qp is not None else None
        lines.append(f"| {label} | {B:,} | Quipu (fit) | {fmt(qf1)} | {fmt(qf2)} | {fmtx(ratio(qf1, qf2))} | "
                     f"{fmt(qp, '.5f')} | {fmt(qse, '.5f')} |")
        lines.append(f"| {label} | {B:,} | Quipu (wall) | {fmt(qw1)} | {fmt(qw2)} | {fmtx(ratio(qw1, qw2))} | | |")
        entry["quipu"] = {"median_fit_s_1": qf1, "median_fit_s_2": qf2, "median_wall_s_1": qw1,
                          "median_wall_s_2": qw2, "p_value": qp, "mc_se": qse}
        if best_wb:
            mode, t1, t2, p = best_wb
            qt1 = qf1 if qf1 is not None else qw1
            qt2 = qf2 if qf2 is not None else qw2
            diff = None
            if p is not None and qp is not None:
                pbar = (p + qp) / 2
                sd = math.sqrt(max(pbar * (1 - pbar), 1e-300) * 2 / B)
                diff = abs(p - qp) / sd
            entry["comparison"] = {"wildboottest_mode": mode, "ratio_wb_over_quipu_1": ratio(t1, qt1),
                                   "ratio_wb_over_quipu_2": ratio(t2, qt2), "p_diff_in_mc_sd": diff}
            summary.append(f"| {label} | {mode} | {fmtx(ratio(t1, qt1))} | {fmtx(ratio(t2, qt2))} | "
                           f"{fmt(p, '.5f')} | {fmt(qp, '.5f')} | {fmt(diff)} |")
        entry["quipu_runs"] = quipu_results.get(name, [])
        quipu_results[name] = entry
    lines.append("")
    lines.append("| data | wildboottest path | wildboottest / Quipu, 1 thread | 2 threads | p wildboottest | p Quipu | abs(Δp) / MC sd of the difference |")
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    lines.extend(summary)
    lines.append("")
    lines.append("The two p-values use different random draws, so they agree only up to Monte Carlo error: "
                 "the last column should be below about 3.")
    print("\n".join(lines))

    doc = {
        "benchmark": "wild cluster bootstrap, Quipu vs pyfixest + wildboottest",
        "date_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "formula": FORMULA, "param": PARAM, "seed": SEED, "runs": args.runs,
        "quipu_binary": str(quipu), "quipu_skipped": reason,
        "wildboottest_json": str(wb_path) if wb_path else None,
        "wildboottest_versions": (wb or {}).get("versions"),
        "configs": [quipu_results[n] for n in args.configs],
        "markdown": "\n".join(lines),
    }
    out = Path(args.out) if args.out else HERE / "results" / (
        "bootstrap-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"[quipu] wrote {out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
