#!/usr/bin/env python3
"""Side-by-side Callaway-Sant'Anna benchmark: Quipu vs csdid vs diff_diff.

Normally started through `bash Benchmarks/staggered/run_staggered_bench.sh` (which installs the
pinned peers and generates the data); it can be run directly with a Python that has
Benchmarks/staggered/requirements.txt installed.

Cases: {units} x {no covariates, x1 + x2} x {threads}; default 10^5 and 10^6 units, 1 and 2
threads, 3 runs. Within a case the tools run alternately, R times each, the order rotating every
repetition, each run a fresh process under /usr/bin/time (wall time and peak RSS). The data file
is read once before each case, so every run starts with it in the page cache.

  quipu      quipu_cs.py: `quipu did ... --estimator cs --method dr --control never
             [--covariates x1,x2] --aggregate all --bootstrap multiplier --reps 999 --seed 1
             --threads N --format json --timings`; estimation time = timings.total - timings.read
  csdid      peer_cs.py --tool csdid      (estimation time measured in-process, CSV read excluded)
  diff_diff  peer_cs.py --tool diff_diff  (same)

A run that exceeds its time limit (--peer-timeout-large for a peer at >= 10^6 units, --timeout
otherwise) or runs out of memory (--mem-limit-gb, an address-space limit on the peers) is recorded
as such (a peer that crashes, e.g. with SIGSEGV under that limit, as "crash"), and that tool's
remaining repetitions in the case are skipped. Ratios are peer median
estimation time / Quipu median estimation time (> 1: Quipu is faster).

Writes Benchmarks/staggered/results/staggered-<UTC stamp>.json and prints Markdown tables.
Exit status: 1 if a run failed with an error other than a timeout, out-of-memory or crash, else 0.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
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
from bench_data import parse_count  # noqa: E402  (Benchmarks/bench_data.py)
from quipu_cs import DEFAULT_QUIPU, check_quipu, quipu_version, run_once as quipu_run_once  # noqa: E402
from timed import _signame, timed_run  # noqa: E402

TOOLS = ("quipu", "csdid", "diff_diff")
PEERS = ("csdid", "diff_diff")
COVARIATE_SETS = {"none": [], "x1x2": ["x1", "x2"]}
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS",
               "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
DEFAULT_SEED = 20240601  # data seed (generate_staggered.py's default)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def units_label(n: int) -> str:
    k = len(str(n)) - 1
    return f"10^{k}" if n == 10 ** k else f"{n:,}"


def data_path(data_dir: Path, units: int) -> Path:
    k = len(str(units)) - 1
    name = f"stag_1e{k}.csv" if units == 10 ** k else f"stag_{units}.csv"
    return data_dir / name


def loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def run_capture(cmd, timeout=30) -> str | None:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def machine_facts() -> dict:
    facts = {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as fh:
            facts["cpu"] = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), None)
        with open("/proc/meminfo") as fh:
            facts["mem_total_kib"] = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass
    facts["openblas_packages"] = run_capture(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n",
                                              "libopenblas0*", "libopenblas-dev"])
    facts["env"] = {k: v for k, v in os.environ.items()
                    if k in THREAD_VARS or k.startswith("OPENBLAS_") or k == "DIFF_DIFF_BACKEND"}
    facts["git_commit"] = run_capture(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return facts


def py_versions() -> dict:
    from importlib.metadata import version
    out = {}
    for p in ("csdid", "diff-diff", "drdid", "numpy", "pandas", "scipy", "statsmodels", "joblib", "pyarrow",
              "threadpoolctl"):
        try:
            out[p] = version(p)
        except Exception:
            out[p] = None
    return out


def warm_cache(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def thread_env(threads: int, unset_coretype: bool) -> dict:
    env = dict(os.environ)
    for v in THREAD_VARS:
        env[v] = str(threads)
    env["PYTHONHASHSEED"] = "0"
    if unset_coretype:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def run_peer(tool: str, data: Path, covariates: list[str], threads: int, args, timeout: float) -> dict:
    cmd = [sys.executable, str(HERE / "peer_cs.py"), "--tool", tool, "--data", str(data), "--threads", str(threads),
           "--reps", str(args.reps), "--seed", str(args.boot_seed)]
    if covariates:
        cmd += ["--covariates", ",".join(covariates)]
    if not args.warmup:
        cmd.append("--no-warmup")
    if tool == "csdid":
        cmd += ["--csdid-pl", args.csdid_pl]
    mem = int(args.mem_limit_gb * 2**30) if args.mem_limit_gb > 0 else None
    r = timed_run(cmd, env=thread_env(threads, args.unset_openblas_coretype), timeout=timeout, mem_limit_bytes=mem)
    rec = {"tool": tool, "threads": threads, "covariates": covariates, "status": r["status"],
           "wall_s": r["wall_s"], "max_rss_kib": r.get("max_rss_kib"),
           "max_rss_mib": r["max_rss_kib"] / 1024 if r.get("max_rss_kib") else None,
           "returncode": r["returncode"], "command": " ".join(cmd)}
    if r.get("error"):
        rec["error"] = r["error"]
    if r.get("signal"):
        rec["signal"] = r["signal"]
        rec["signal_name"] = _signame(r["signal"])
    doc = None
    for line in reversed((r["stdout"] or "").strip().splitlines()):
        try:
            doc = json.loads(line)
            break
        except json.JSONDecodeError:
            continue
    if doc is not None:
        if doc.get("status") == "oom":
            rec["status"] = "oom"
            rec["error"] = doc.get("error")
        rec["worker"] = doc
        for k in ("estimate_s", "read_s", "import_s", "aggregates", "phases_s"):
            if k in doc:
                rec[k] = doc[k]
    elif rec["status"] == "ok":
        rec["status"] = "error"
        rec["error"] = "no JSON line from the worker: " + (r["stderr"] or "")[-1500:]
    return rec


def simple_of(rec: dict | None):
    if not rec:
        return None, None
    for a in rec.get("aggregates") or []:
        if a.get("type") == "simple":
            return a.get("estimate"), a.get("std_error")
    return None, None


def median_of(recs, key):
    vals = [r[key] for r in recs if r.get("status") == "ok" and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(x, spec=".2f"):
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, spec)


def cell_time(summary: dict | None, key: str = "median_estimate_s") -> str:
    if summary is None:
        return "not run"
    if summary.get(key) is not None:
        return fmt(summary[key])
    return summary.get("status_label") or "n/a"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--units", nargs="+", type=parse_count, default=[100_000, 1_000_000])
    ap.add_argument("--covariates", nargs="+", choices=sorted(COVARIATE_SETS), default=["none", "x1x2"])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--runs", type=int, default=3, help="runs per tool and case (median reported)")
    ap.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    ap.add_argument("--skip-peers-large", action="store_true", help="do not run the peers at >= 10^6 units")
    ap.add_argument("--timeout", type=float, default=1800, help="time limit for one run (s), default 1800")
    ap.add_argument("--peer-timeout-large", type=float, default=600,
                    help="time limit for one peer run at >= 10^6 units (s), default 600")
    ap.add_argument("--mem-limit-gb", type=float, default=16,
                    help="address-space limit for each peer process (GiB; 0 = none), default 16")
    ap.add_argument("--reps", type=int, default=999, help="bootstrap replicates (default 999)")
    ap.add_argument("--boot-seed", type=int, default=1, help="bootstrap seed passed to every tool (default 1)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="data seed (default 20240601)")
    ap.add_argument("--data-dir", default=str(HERE / "data"))
    ap.add_argument("--results-dir", default=str(HERE / "results"))
    ap.add_argument("--out", default=None, help="results JSON path (default results/staggered-<stamp>.json)")
    ap.add_argument("--quipu", default=str(DEFAULT_QUIPU))
    ap.add_argument("--no-warmup", dest="warmup", action="store_false",
                    help="peers: no untimed warm-up on 2,000 units before the timed run")
    ap.add_argument("--csdid-pl", choices=["auto", "on", "off"], default="auto",
                    help="csdid's own parallel bootstrap (pl=True, cores=N) at N > 1 threads: auto (default) "
                         "turns it off when its worker processes would not fit in memory (10^6 units)")
    ap.add_argument("--unset-openblas-coretype", action="store_true",
                    help="unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for every run (default: keep them)")
    args = ap.parse_args(argv)

    started = dt.datetime.now(dt.timezone.utc)
    data_dir = Path(args.data_dir)
    quipu = Path(args.quipu)
    tools = [t for t in TOOLS if t in args.tools]
    quipu_reason = None
    if "quipu" in tools:
        quipu_reason = check_quipu(quipu)
        if quipu_reason:
            bar = "=" * 78
            log(f"{bar}\n[quipu] SKIPPING Quipu: {quipu_reason}\nThe peers run as usual; the Quipu columns "
                f"and the ratios read n/a.\n{bar}")
            tools.remove("quipu")

    # data: generate what is missing (run_staggered_bench.sh normally did this already)
    for units in args.units:
        path = data_path(data_dir, units)
        subprocess.run([sys.executable, str(HERE / "generate_staggered.py"), str(units), str(path),
                        "--seed", str(args.seed), "--reuse"], check=True)

    runs_all: list[dict] = []
    cases: list[dict] = []
    failed = False
    la0 = loadavg()
    if la0 > 0.5:
        log(f"[bench] warning: load average {la0:.2f} > 0.5 at the start; timings may be inflated")

    for units in args.units:
        path = data_path(data_dir, units)
        meta = json.loads(Path(str(path) + ".meta.json").read_text())
        large = units >= 1_000_000
        for cov_name in args.covariates:
            covs = COVARIATE_SETS[cov_name]
            for threads in args.threads:
                case_tools = [t for t in tools if not (large and args.skip_peers_large and t in PEERS)]
                label = f"{units_label(units)} units, covariates {'+'.join(covs) or 'none'}, {threads} thread(s)"
                warm_cache(path)
                la = loadavg()
                log(f"[bench] {label}: {', '.join(case_tools) or 'nothing'} x {args.runs} (load {la:.2f})")
                if la > 0.5:
                    log(f"[bench] warning: load average {la:.2f} > 0.5")
                case_runs: dict[str, list] = {t: [] for t in case_tools}
                stopped: dict[str, str] = {}
                for rep in range(args.runs):
                    k = rep % len(case_tools) if case_tools else 0
                    order = case_tools[k:] + case_tools[:k]
                    for tool in order:
                        if tool in stopped:
                            continue
                        la = loadavg()
                        if tool == "quipu":
                            env = thread_env(threads, args.unset_openblas_coretype)
                            rec = quipu_run_once(quipu, str(path), covs, threads, args.reps, args.boot_seed,
                                                 timeout=args.timeout, env=env)
                        else:
                            timeout = args.peer_timeout_large if large else args.timeout
                            rec = run_peer(tool, path, covs, threads, args, timeout)
                        rec.update({"units": units, "rep": rep + 1, "load_before": la, "case": label})
                        runs_all.append(rec)
                        case_runs[tool].append(rec)
                        if rec["status"] == "ok":
                            s, se = simple_of(rec)
                            log(f"[bench]   {tool:9s} run {rep + 1}: estimate {fmt(rec.get('estimate_s'))} s, "
                                f"wall {fmt(rec.get('wall_s'))} s, peak {fmt(rec.get('max_rss_mib'), '.0f')} MiB, "
                                f"simple ATT {fmt(s, '.5f')} (SE {fmt(se, '.5f')})")
                        else:
                            log(f"[bench]   {tool:9s} run {rep + 1}: {rec['status'].upper()}: "
                                f"{(rec.get('error') or '')[:400]}")
                            stopped[tool] = rec["status"]
                            if rec["status"] == "error":
                                failed = True
                summaries = {}
                for tool in case_tools:
                    recs = case_runs[tool]
                    ok = [r for r in recs if r["status"] == "ok"]
                    bad = [r for r in recs if r["status"] != "ok"]
                    s = {"runs_ok": len(ok), "runs_tried": len(recs),
                         "median_estimate_s": median_of(recs, "estimate_s"),
                         "median_wall_s": median_of(recs, "wall_s"),
                         "median_max_rss_mib": median_of(recs, "max_rss_mib")}
                    if bad:
                        b = bad[0]
                        s["failure"] = {"status": b["status"], "error": b.get("error")}
                        if b["status"] == "timeout":
                            s["status_label"] = f"timeout ({b.get('error', '').split()[-2]} s)" \
                                if b.get("error") else "timeout"
                        else:
                            s["status_label"] = (f"crash ({b['signal_name']})" if b.get("signal_name")
                                                 else b["status"])
                        if b["status"] in ("oom", "timeout") and b.get("max_rss_mib"):
                            s["max_rss_mib_at_failure"] = b["max_rss_mib"]
                    if ok:
                        s["simple_att"], s["simple_se"] = simple_of(ok[0])
                        s["simple_att_all_runs"] = [simple_of(r)[0] for r in ok]
                        w = ok[0].get("worker") or {}
                        for key in ("csdid_pl", "csdid_pl_note", "bootstrap", "aggregations_run", "aggregations_unsupported", "call",
                                    "n_att_gt", "versions", "blas", "warnings"):
                            if key in w:
                                s[key] = w[key]
                        if tool == "quipu":
                            s["aggregate_types"] = ok[0].get("aggregate_types")
                            s["command"] = ok[0].get("command")
                            s["median_read_s"] = median_of(ok, "read_s")
                            s["median_total_s"] = median_of(ok, "total_s")
                        else:
                            s["median_read_s"] = median_of(ok, "read_s")
                            s["median_import_s"] = median_of(ok, "import_s")
                    summaries[tool] = s
                q = summaries.get("quipu", {})
                ratios = {}
                for peer in PEERS:
                    p = summaries.get(peer, {})
                    if q.get("median_estimate_s") and p.get("median_estimate_s") is not None:
                        ratios[peer] = p["median_estimate_s"] / q["median_estimate_s"]
                cases.append({"units": units, "rows": units * meta.get("periods", 10), "covariates": covs,
                              "threads": threads, "data": str(path), "true_simple_att": meta.get("true_simple_att"),
                              "tools": summaries, "ratio_peer_over_quipu_estimate": ratios})

    # ------------------------------------------------------------------ Markdown
    lines = []
    lines.append(f"Callaway-Sant'Anna (DR, never-treated controls, varying base period), all aggregations, "
                 f"multiplier bootstrap {args.reps} replicates; median of {args.runs} runs. Estimation time: "
                 "peers in-process with the CSV already in a pandas DataFrame; Quipu = timings.total - "
                 "timings.read. Ratio = peer / Quipu estimation time. Peak = maximum resident set (whole "
                 "process, CSV data included).")
    if quipu_reason:
        lines.append(f"Quipu: skipped ({quipu_reason}).")
    lines.append("")
    lines.append("| units | covariates | threads | Quipu est. s | Quipu wall s | csdid s | diff_diff s | "
                 "csdid / Quipu | diff_diff / Quipu | Quipu peak MiB | csdid peak MiB | diff_diff peak MiB |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in cases:
        t = c["tools"]
        r = c["ratio_peer_over_quipu_estimate"]

        def peak(tool):
            s = t.get(tool)
            if s is None:
                return "not run"
            if s.get("median_max_rss_mib") is not None and s.get("runs_ok"):
                return fmt(s["median_max_rss_mib"], ",.0f")
            if s.get("max_rss_mib_at_failure"):
                return f"({fmt(s['max_rss_mib_at_failure'], ',.0f')} at {s.get('status_label')})"
            return s.get("status_label") or "n/a"

        lines.append(f"| {units_label(c['units'])} | {'+'.join(c['covariates']) or 'none'} | {c['threads']} | "
                     f"{cell_time(t.get('quipu'))} | {cell_time(t.get('quipu'), 'median_wall_s')} | "
                     f"{cell_time(t.get('csdid'))} | {cell_time(t.get('diff_diff'))} | "
                     f"{fmt(r.get('csdid'), '.1f') + 'x' if 'csdid' in r else 'n/a'} | "
                     f"{fmt(r.get('diff_diff'), '.1f') + 'x' if 'diff_diff' in r else 'n/a'} | "
                     f"{peak('quipu')} | {peak('csdid')} | {peak('diff_diff')} |")
    lines.append("")
    lines.append("Simple ATT (standard error) from the first successful run; the truth is the cohort-size-"
                 "weighted mean of the true post-treatment ATT(g,t). Without covariates the estimate is biased "
                 "by design (the trend depends on x1, x2 and so does selection).")
    lines.append("")
    lines.append("| units | covariates | threads | truth | Quipu | csdid | diff_diff |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for c in cases:
        t = c["tools"]

        def est(tool):
            s = t.get(tool)
            if not s or s.get("simple_att") is None:
                return "n/a"
            return f"{s['simple_att']:.5f} ({fmt(s.get('simple_se'), '.5f')})"

        lines.append(f"| {units_label(c['units'])} | {'+'.join(c['covariates']) or 'none'} | {c['threads']} | "
                     f"{fmt(c['true_simple_att'], '.5f')} | {est('quipu')} | {est('csdid')} | {est('diff_diff')} |")
    lines.append("")
    lines.append("What the peers run: csdid computes all four aggregations (simple, group, dynamic, calendar), "
                 "each aggregated parameter with its own multiplier bootstrap; diff_diff computes simple, group "
                 "and event study (bootstrap SEs; one fit-time weight stream, replayed for group and event "
                 "study) and has no calendar aggregation. Quipu: `--aggregate all`.")
    markdown = "\n".join(lines)

    doc = {
        "benchmark": "Callaway-Sant'Anna: quipu did --estimator cs vs csdid vs diff_diff",
        "date_utc": started.isoformat(timespec="seconds"),
        "finished_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "settings": {"units": args.units, "covariates": args.covariates, "threads": args.threads,
                     "runs": args.runs, "reps": args.reps, "boot_seed": args.boot_seed, "data_seed": args.seed,
                     "timeout_s": args.timeout, "peer_timeout_large_s": args.peer_timeout_large,
                     "mem_limit_gb": args.mem_limit_gb, "skip_peers_large": args.skip_peers_large,
                     "warmup": args.warmup, "csdid_pl": args.csdid_pl,
                     "unset_openblas_coretype": args.unset_openblas_coretype,
                     "tools": args.tools},
        "timed_region": {
            "quipu": "timings.total - timings.read from --timings (everything after reading the CSV); "
                     "wall = whole process; peak = /usr/bin/time %M",
            "peers": "from constructing the estimator to the last aggregation, in-process, CSV already read "
                     "with pandas.read_csv; wall = whole process (import, read, warm-up included); peak = "
                     "/usr/bin/time %M",
        },
        "machine": machine_facts(),
        "versions": py_versions(),
        "quipu": {"binary": str(quipu), "skipped": quipu_reason,
                  "version": None if quipu_reason else quipu_version(quipu)},
        "cases": cases,
        "runs": [{k: v for k, v in r.items() if k != "worker"} | ({"worker": {k: v for k, v in r["worker"].items()
                                                                               if k != "aggregates"}}
                                                                  if r.get("worker") else {})
                 for r in runs_all],
        "markdown": markdown,
    }
    if args.out:
        out = Path(args.out)
    else:
        out = Path(args.results_dir) / ("staggered-" + started.strftime("%Y%m%dT%H%M%SZ") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")  # before printing: a closed stdout loses nothing
    print(markdown, flush=True)
    log(f"[bench] wrote {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
