#!/usr/bin/env python3
"""Side-by-side benchmark of `quipu fepois` against pyfixest's `fepois`.

For each row count: generate the panel if missing (generate_poisson_panel.py), read the file
once (page cache), then run the two tools alternately (the order swaps every repetition), each
in a fresh process under `/usr/bin/time -f '%e %M'`. Reports the median wall time (process start
to exit, CSV read included), the ratio Quipu / pyfixest, the median peak resident set, the IRLS
iterations, and the agreement of coefficients and standard errors. Writes every run and the
summaries to results/fepois-<UTC time>.json and prints a Markdown table.

    python3 Benchmarks/fepois/run_fepois.py --rows 1e6 --reps 3 --rows 1e7 --reps 1
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

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Benchmarks"))
from bench_data import parse_count, run_timed  # noqa: E402

FORMULA = "y ~ x1 + x2 | firm + year"


def timed(cmd: list[str], timeout: float) -> dict:
    run = run_timed(cmd, timeout)
    return {"wall_s": run["harness_seconds"], "peak_kib": run["peak_rss_kib"], "returncode": run["returncode"],
            "stdout": run["stdout"], "stderr": run["stderr"]}


def run_quipu(binary: str, path: str, timeout: float) -> dict:
    rec = timed([binary, "fepois", "--data", path, "--formula", FORMULA, "--vcov", "cluster:firm", "--format", "json", "--timings"], timeout)
    if rec["returncode"] == 0:
        out = json.loads(rec["stdout"])
        rec["nobs"] = out["nobs"]
        rec["iterations"] = out["iterations"]
        rec["coefficients"] = {c["term"]: {"estimate": c["estimate"], "std_error": c["std_error"]} for c in out["coefficients"]}
        rec["timings"] = json.loads(rec["stderr"].strip().splitlines()[-1])["timings"]
    return rec


def run_pyfixest(path: str, timeout: float) -> dict:
    rec = timed([sys.executable, os.path.join(HERE, "pyfixest_fepois.py"), path], timeout)
    if rec["returncode"] == 0:
        out = json.loads(rec["stdout"].strip().splitlines()[-1])
        rec.update({k: out[k] for k in ("nobs", "iterations", "coefficients", "import_seconds", "read_seconds", "fit_seconds")})
    return rec


def label(rows: int) -> str:
    exponent = len(str(rows)) - 1
    return f"10^{exponent}" if rows == 10 ** exponent else str(rows)


def file_label(rows: int) -> str:
    """1e6 for 10^6 rows (the generator's naming in the README), else the count."""
    exponent = len(str(rows)) - 1
    return f"1e{exponent}" if rows == 10 ** exponent else str(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=parse_count, action="append", help="row counts (repeatable)")
    parser.add_argument("--reps", type=int, action="append", help="runs per tool, one per --rows (default 3)")
    parser.add_argument("--quipu", default=os.path.join(REPO, ".build", "release", "quipu"))
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    rows_list = args.rows or [1_000_000]
    reps_list = args.reps or [3] * len(rows_list)
    configs = []
    for rows, reps in zip(rows_list, reps_list + [reps_list[-1]] * (len(rows_list) - len(reps_list))):
        path = os.path.join(HERE, "data", f"poisson_{file_label(rows)}.csv")
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(HERE, "generate_poisson_panel.py"), "--rows", str(rows), "--output", path], check=True)
        with open(path, "rb") as fh:  # warm the page cache
            while fh.read(1 << 24):
                pass
        runs = {"quipu": [], "pyfixest": []}
        for rep in range(reps):
            order = ["quipu", "pyfixest"] if rep % 2 == 0 else ["pyfixest", "quipu"]
            for tool in order:
                load = os.getloadavg()[0]
                rec = run_quipu(args.quipu, path, args.timeout) if tool == "quipu" else run_pyfixest(path, args.timeout)
                rec["load_before"] = load
                runs[tool].append(rec)
                print(f"{label(rows)} {tool} rep {rep + 1}: {rec['wall_s']:.2f} s, {rec['peak_kib'] / 1024:.0f} MiB, rc {rec['returncode']}", flush=True)
        ok = all(r["returncode"] == 0 for tool in runs for r in runs[tool])
        summary = {"rows": rows, "reps": reps, "data": os.path.relpath(path, REPO), "all_ok": ok}
        if ok:
            q, p = runs["quipu"][0], runs["pyfixest"][0]
            summary.update({
                "quipu_median_s": statistics.median(r["wall_s"] for r in runs["quipu"]),
                "pyfixest_median_s": statistics.median(r["wall_s"] for r in runs["pyfixest"]),
                "quipu_peak_mib": statistics.median(r["peak_kib"] for r in runs["quipu"]) / 1024,
                "pyfixest_peak_mib": statistics.median(r["peak_kib"] for r in runs["pyfixest"]) / 1024,
                "quipu_iterations": q["iterations"], "pyfixest_iterations": p["iterations"],
                "nobs": [q["nobs"], p["nobs"]],
                "max_rel_gap_estimate": max(abs(q["coefficients"][t]["estimate"] - p["coefficients"][t]["estimate"]) / abs(p["coefficients"][t]["estimate"]) for t in ("x1", "x2")),
                "max_rel_gap_std_error": max(abs(q["coefficients"][t]["std_error"] - p["coefficients"][t]["std_error"]) / abs(p["coefficients"][t]["std_error"]) for t in ("x1", "x2")),
                "quipu_fit_s": statistics.median(r["timings"]["fit_seconds"] for r in runs["quipu"]),
                "pyfixest_fit_s": statistics.median(r["fit_seconds"] for r in runs["pyfixest"]),
            })
            summary["ratio"] = summary["quipu_median_s"] / summary["pyfixest_median_s"]
        configs.append({"summary": summary, "runs": runs})
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    versions = {}
    for package in ("pyfixest", "pandas", "numpy"):
        try:
            from importlib.metadata import version
            versions[package] = version(package)
        except Exception:  # noqa: BLE001
            versions[package] = None
    result = {"formula": FORMULA, "vcov": "cluster:firm", "commit": commit, "nproc": os.cpu_count(),
              "python": platform.python_version(), "versions": versions, "configs": configs}
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = os.path.join(HERE, "results", f"fepois-{stamp}.json")
    with open(out, "w") as fh:
        json.dump(result, fh, indent=1)
    print(f"\nwrote {os.path.relpath(out, REPO)}\n")
    print("| rows | runs | Quipu s | pyfixest s | Quipu / pyfixest | Quipu peak MiB | pyfixest peak MiB | IRLS iterations (Quipu / pyfixest) | max rel. gap coef / SE |")
    print("|---|---|---|---|---|---|---|---|---|")
    for config in configs:
        s = config["summary"]
        if not s["all_ok"]:
            print(f"| {label(s['rows'])} | {s['reps']} | failed | | | | | | |")
            continue
        print(f"| {label(s['rows'])} | {s['reps']} | {s['quipu_median_s']:.2f} | {s['pyfixest_median_s']:.2f} | **{s['ratio']:.3f}** | "
              f"{s['quipu_peak_mib']:.0f} | {s['pyfixest_peak_mib']:.0f} | {s['quipu_iterations']} / {s['pyfixest_iterations']} | "
              f"{s['max_rel_gap_estimate']:.1e} / {s['max_rel_gap_std_error']:.1e} |")
    if not all(c["summary"]["all_ok"] for c in configs):
        sys.exit(1)


if __name__ == "__main__":
    main()
