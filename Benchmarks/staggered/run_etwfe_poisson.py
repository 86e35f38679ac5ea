#!/usr/bin/env python3
"""ETWFE Poisson side by side: `quipu did --estimator etwfe --model poisson` against one
`quipu fepois` with the same firm + period effects and diff-diff's `WooldridgeDiD(method="poisson")`.

    Benchmarks/staggered/.venv/bin/python Benchmarks/staggered/run_etwfe_poisson.py \
        [--rows 1e6] [--runs 3] [--peer-runs 3] [--check-rows 1e5] [--threads 1] [--quipu PATH]

Data: generate_poisson_staggered.py (15 cohorts x 15 periods, counts with zeros), generated if
missing. Every run is a fresh process under /usr/bin/time (timed.py: wall time, peak RSS); the
tools alternate within a repetition, the order rotating, and the load average is recorded before
every run (other work on the machine inflates the times: see the README). Estimation time is
`timings.total - timings.read` for Quipu and the timed `fit` for diff-diff (CSV already read).
Before timing, both ETWFE implementations run once on the --check-rows panel and their simple ATT
and SE are compared. Prints Markdown tables and writes results/etwfe-poisson-<UTC stamp>.json.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from timed import timed_run  # noqa: E402
from bench_data import parse_count  # noqa: E402
from quipu_cs import _timings, _get, quipu_version  # noqa: E402  (one parser of the timings line)

TOOLS = ("quipu_etwfe", "quipu_fepois", "quipu_fepois_cells", "diff_diff")


def thread_env(n: int) -> dict:
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS",
              "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[k] = str(n)
    return env


def quipu_cmd(tool: str, quipu: str, data: str, threads: int) -> list[str]:
    if tool == "quipu_etwfe":
        return [quipu, "did", "--data", data, "--outcome", "y", "--unit", "id", "--time", "period",
                "--cohort", "cohort", "--estimator", "etwfe", "--model", "poisson", "--control", "notyet",
                "--aggregate", "simple", "--threads", str(threads), "--format", "json", "--timings"]
    # One fepois with the same firm + period effects and a single regressor (the yardstick),
    # or with the ETWFE's own design: its 105 cells and 14 period dummies beside the firm effects.
    formula = "y ~ d | id + period" if tool == "quipu_fepois" else "y ~ i(cell, ref = 0) + i(period) | id"
    return [quipu, "fepois", "--data", data, "--formula", formula, "--vcov", "cluster:id",
            "--threads", str(threads), "--format", "json", "--timings"]


def simple_of(doc: dict) -> dict | None:
    """The level-scale simple aggregate of an ETWFE run (and its log-ratio twin, if any)."""
    out = {}
    for a in doc.get("aggregates") or []:
        if a.get("type") != "simple":
            continue
        scale = a.get("scale", "level")
        out[scale] = {"estimate": a.get("estimate"), "std_error": a.get("std_error")}
    return out or None


def run_one(tool: str, args, data: str, env: dict) -> dict:
    if tool == "diff_diff":
        cmd = [sys.executable, str(HERE / "peer_etwfe.py"), "--data", data]
        timeout = args.peer_timeout
    else:
        cmd = quipu_cmd(tool, args.quipu, data, args.threads)
        timeout = args.timeout
    rec = {"tool": tool, "command": " ".join(cmd), "loadavg_before": list(os.getloadavg())}
    r = timed_run(cmd, env=env, timeout=timeout)
    rec.update(status=r["status"], wall_s=r["wall_s"], cpu_s=r.get("cpu_s"), returncode=r.get("returncode"),
               max_rss_mib=(r["max_rss_kib"] / 1024 if r.get("max_rss_kib") else None))
    rec["loadavg_after"] = list(os.getloadavg())
    if r["status"] != "ok":
        rec["error"] = r.get("error") or (r.get("stderr") or "")[-800:]
        return rec
    if tool == "diff_diff":
        try:
            doc = json.loads(r["stdout"].strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            rec.update(status="error", error="no JSON line: " + (r["stderr"] or "")[-800:])
            return rec
        rec.update({k: doc.get(k) for k in ("estimate_s", "estimate_cpu_s", "read_s", "simple", "cells", "n_obs", "versions", "blas")})
        return rec
    t = _timings(r["stderr"])
    if t is None:
        rec.update(status="error", error="no timings line on stderr")
        return rec
    rec["timings"] = t
    read, total = _get(t, "read"), _get(t, "total")
    rec["read_s"], rec["total_s"] = read, total
    rec["estimate_s"] = total - read if read is not None and total is not None else None
    if tool == "quipu_etwfe":
        try:
            rec["simple"] = simple_of(json.loads(r["stdout"]))
        except json.JSONDecodeError:
            rec.update(status="error", error="stdout is not JSON")
    return rec


def median(recs: list[dict], key: str):
    vals = [r[key] for r in recs if r.get("status") == "ok" and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(x, nd=2):
    return "n/a" if x is None else f"{x:,.{nd}f}"


def machine() -> dict:
    info = {"platform": platform.platform(), "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["mem_total"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    info["openblas_env"] = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    return info


def ensure_data(rows: int, data_dir: Path) -> str:
    label = f"{rows:.0e}".replace("+0", "").replace("+", "")
    path = data_dir / f"etwfe_poisson_{label}.csv"
    subprocess.run([sys.executable, str(HERE / "generate_poisson_staggered.py"), str(rows), str(path), "--reuse"],
                   check=True)
    return str(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=parse_count, default=10**6)
    ap.add_argument("--check-rows", type=lambda v: 0 if v == "0" else parse_count(v), default=10**5,
                    help="panel on which Quipu's and diff-diff's simple ATT are compared (0: skip)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each Quipu command")
    ap.add_argument("--peer-runs", type=int, default=3, help="runs of diff-diff (fewer if it takes minutes)")
    ap.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quipu", default=str(REPO / ".build" / "release" / "quipu"))
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--peer-timeout", type=float, default=1800)
    ap.add_argument("--data-dir", default=str(HERE / "data"))
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    if any(t.startswith("quipu") for t in args.tools) and not os.access(args.quipu, os.X_OK):
        sys.exit(f"Quipu binary {args.quipu} not found: swift build -c release --product quipu")
    env = thread_env(args.threads)
    data_dir = Path(args.data_dir)
    result = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "threads": args.threads, "quipu_version": quipu_version(Path(args.quipu)),
              "git_commit": subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                                           text=True).stdout.strip(),
              "loadavg_start": list(os.getloadavg())}

    if args.check_rows:
        # The simple ATT on the check panel, and on the same panel without the firms whose outcome is
        # zero throughout (fepois drops them, and Quipu's cell means then leave them out, where
        # diff-diff's cohort-dummy Poisson keeps them in the cells with a fitted mean of zero).
        check = ensure_data(args.check_rows, data_dir)
        import pandas as pd
        frame = pd.read_csv(check)
        positive = frame.groupby("id")["y"].transform("sum") > 0
        nozero = check.replace(".csv", "_no_all_zero_firms.csv")
        frame[positive].to_csv(nozero, index=False)
        result["agreement"] = []
        for path, label in ((check, "all firms"), (nozero, "without all-zero firms")):
            agree = {t: run_one(t, args, path, env) for t in ("quipu_etwfe", "diff_diff")}
            q, p = agree["quipu_etwfe"], agree["diff_diff"]
            row = {"panel": label, "rows": int(len(frame) if path == check else positive.sum()),
                   "all_zero_firms": int((frame.groupby("id")["y"].sum() == 0).sum()) if path == check else 0,
                   "quipu": q.get("simple"), "diff_diff": p.get("simple"),
                   "quipu_status": q["status"], "diff_diff_status": p["status"]}
            if q["status"] == "ok" and p["status"] == "ok" and q.get("simple") and p.get("simple"):
                ql, pl = q["simple"].get("level"), p["simple"]
                row["abs_diff_estimate"] = abs(ql["estimate"] - pl["estimate"])
                row["rel_diff_se"] = abs(ql["std_error"] - pl["std_error"]) / abs(pl["std_error"])
            result["agreement"].append(row)
            print(f"[check] {json.dumps(row)}", file=sys.stderr)

    data = ensure_data(args.rows, data_dir)
    subprocess.run(["cat", data], stdout=subprocess.DEVNULL)  # page cache
    runs: dict[str, list] = {t: [] for t in args.tools}
    reps = max(args.runs, args.peer_runs if "diff_diff" in args.tools else 0)
    for i in range(reps):
        order = args.tools[i % len(args.tools):] + args.tools[:i % len(args.tools)]
        for tool in order:
            limit = args.peer_runs if tool == "diff_diff" else args.runs
            if len(runs[tool]) >= limit or any(r["status"] != "ok" for r in runs[tool]):
                continue
            rec = run_one(tool, args, data, env)
            runs[tool].append(rec)
            print(f"[run {i + 1}] {tool}: {rec['status']} est {fmt(rec.get('estimate_s'))} s, wall "
                  f"{fmt(rec.get('wall_s'))} s, peak {fmt(rec.get('max_rss_mib'), 0)} MiB, load "
                  f"{' '.join(f'{x:.2f}' for x in rec['loadavg_before'])}", file=sys.stderr)
    result["runs"] = runs
    summary = {t: {"estimate_s": median(runs[t], "estimate_s"), "wall_s": median(runs[t], "wall_s"), "cpu_s": median(runs[t], "cpu_s"),
                   "max_rss_mib": median(runs[t], "max_rss_mib"), "n": sum(r["status"] == "ok" for r in runs[t]),
                   "loadavg_1min": [r["loadavg_before"][0] for r in runs[t]]} for t in args.tools}
    e = summary.get("quipu_etwfe", {}).get("estimate_s")
    f = summary.get("quipu_fepois", {}).get("estimate_s")
    p = summary.get("diff_diff", {}).get("estimate_s")
    c = summary.get("quipu_fepois_cells", {}).get("estimate_s")
    ratios = {"etwfe_over_fepois": e / f if e and f else None, "etwfe_over_diff_diff": e / p if e and p else None,
              "etwfe_over_fepois_same_design": e / c if e and c else None}
    ew, fw = summary.get("quipu_etwfe", {}).get("wall_s"), summary.get("quipu_fepois", {}).get("wall_s")
    ratios["etwfe_over_fepois_wall"] = ew / fw if ew and fw else None
    result.update(summary=summary, ratios=ratios, finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    dd = next((r for r in runs.get("diff_diff", []) if r.get("versions")), None)
    if dd:
        result["peer_versions"] = dd["versions"]

    print("\n| tool | runs | est. s (median) | wall s | process CPU s | peak MiB | load (1-min) before each run |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for t in args.tools:
        s = summary[t]
        print(f"| {t} | {s['n']} | {fmt(s['estimate_s'])} | {fmt(s['wall_s'])} | {fmt(s['cpu_s'])} | {fmt(s['max_rss_mib'], 0)} | "
              f"{', '.join(f'{x:.1f}' for x in s['loadavg_1min'])} |")
    for row in result.get("agreement", []):
        q, p = (row.get("quipu") or {}).get("level") or {}, row.get("diff_diff") or {}
        print(f"\nsimple ATT, {row['panel']} ({row['rows']:,} rows): Quipu {fmt(q.get('estimate'), 6)} "
              f"({fmt(q.get('std_error'), 6)}), diff_diff {fmt(p.get('estimate'), 6)} ({fmt(p.get('std_error'), 6)}); "
              f"|diff| {fmt(row.get('abs_diff_estimate'), 2 if row.get('abs_diff_estimate') is None else 9)}")
    print(f"\nETWFE / fepois: {fmt(ratios['etwfe_over_fepois'])} (target <= 3; wall {fmt(ratios['etwfe_over_fepois_wall'])}); "
          f"ETWFE / diff_diff: {fmt(ratios['etwfe_over_diff_diff'], 3)} (target <= 0.2); "
          f"ETWFE / fepois of the same design: {fmt(ratios['etwfe_over_fepois_same_design'])}")
    out = Path(args.out) if args.out else HERE / "results" / (
        "etwfe-poisson-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    bad = any(r["status"] not in ("ok", "timeout") for rs in runs.values() for r in rs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
