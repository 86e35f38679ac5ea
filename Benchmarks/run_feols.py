#!/usr/bin/env python3
"""Side-by-side feols benchmark: Quipu vs pyfixest, end to end from the CSV.

Normally started through ``bash Benchmarks/run_feols.sh`` (which installs the
Python requirements and builds Quipu first); it can also be run directly with
a Python that has Benchmarks/requirements.txt installed.

For every (rows, FE) configuration it runs Quipu and pyfixest alternately,
R times each, every run under ``/usr/bin/time -f '%e %M'`` (wall seconds and
peak RSS in KiB), checks that the two agree on coefficients (relative 1e-6)
and standard errors (relative 1e-4), writes everything to
Benchmarks/results/feols-<date>.json and prints a Markdown table of medians.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys

from bench_data import parse_count, run_timed

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TIME_BIN = "/usr/bin/time"

FORMULAS = {
    2: "y ~ x1 + x2 | firm + year",
    3: "y ~ x1 + x2 | firm + year + region",
}
USED_COLUMNS = {2: ["y", "x1", "x2", "firm", "year"],
                3: ["y", "x1", "x2", "firm", "year", "region"]}
TERMS = ["x1", "x2"]
CLUSTER = "firm"
COEF_RTOL = 1e-6
SE_RTOL = 1e-4
DEFAULT_SEED = 20240601


# --------------------------------------------------------------------------
# helpers

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rows_label(rows: int) -> str:
    k = len(str(rows)) - 1
    if rows == 10 ** k:
        return f"1e{k}"
    return str(rows)


def run_capture(cmd, timeout=30) -> str | None:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            return None
        return r.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def loadavg() -> list[float] | None:
    try:
        with open("/proc/loadavg") as fh:
            return [float(x) for x in fh.read().split()[:3]]
    except OSError:
        return None


def show_path(path: str) -> str:
    rel = os.path.relpath(path, REPO)
    return os.path.abspath(path) if rel.startswith("..") else rel


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec=".2f", none="n/a"):
    return none if x is None else format(x, spec)


def rel_diff(a: float, b: float) -> float:
    denom = max(abs(a), abs(b))
    if denom == 0.0:
        return 0.0
    return abs(a - b) / denom


# --------------------------------------------------------------------------
# machine and versions

def machine_facts() -> dict:
    cpu_model = None
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_total_kib = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_total_kib = int(line.split()[1])
    except OSError:
        pass
    openblas = run_capture(
        ["dpkg-query", "-W", "-f=${Package} ${Version} ${Status}\n", "libopenblas*"]
    )
    openblas_pkgs = []
    if openblas:
        for line in openblas.splitlines():
            parts = line.split()
            if len(parts) >= 2 and "installed" in line and "not-installed" not in line:
                openblas_pkgs.append(f"{parts[0]} {parts[1]}")
    threads_env = {k: os.environ[k] for k in
                   ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "RAYON_NUM_THREADS", "NUMBA_NUM_THREADS") if k in os.environ}
    return {
        "nproc": run_capture(["nproc"]) or os.cpu_count(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "mem_total_gib": round(mem_total_kib / 2**20, 2) if mem_total_kib else None,
        "kernel": platform.release(),
        "os": run_capture(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "openblas_dpkg": openblas_pkgs,
        "thread_env": threads_env,
        "loadavg_at_start": loadavg(),
    }


def python_versions(python: str) -> dict:
    code = (
        "import json,sys\n"
        "from importlib import metadata\n"
        "out={'python':sys.version.split()[0]}\n"
        "for p in ['pyfixest','pandas','numpy','pyarrow','scipy','formulaic','narwhals','numba']:\n"
        "    try: out[p]=metadata.version(p)\n"
        "    except Exception: out[p]=None\n"
        "print(json.dumps(out))\n"
    )
    s = run_capture([python, "-c", code], timeout=60)
    try:
        return json.loads(s) if s else {}
    except json.JSONDecodeError:
        return {}


def git_facts() -> dict:
    head = run_capture(["git", "-C", REPO, "rev-parse", "HEAD"])
    status = run_capture(["git", "-C", REPO, "status", "--porcelain", "--", "Sources",
                          "Package.swift"])
    return {"commit": head, "sources_dirty": bool(status) if status is not None else None}


def quipu_version(quipu: str) -> str | None:
    for flag in ("--version", "version"):
        s = run_capture([quipu, flag], timeout=20)
        if s:
            return s.splitlines()[0]
    return None


# --------------------------------------------------------------------------
# data

def ensure_data(rows: int, data_dir: str, seed: int, python: str) -> tuple[str, dict]:
    path = os.path.join(data_dir, f"panel_{rows_label(rows)}.csv")
    meta_path = path + ".meta.json"
    meta = None
    if os.path.exists(path) and os.path.exists(meta_path):
        try:
            with open(meta_path) as fh:
                meta = json.load(fh)
        except (OSError, json.JSONDecodeError):
            meta = None
        if meta and (meta.get("rows") != rows or meta.get("seed") != seed
                     or meta.get("bytes") != os.path.getsize(path)):
            log(f"[data] {path} does not match rows={rows} seed={seed}; regenerating")
            meta = None
    if meta is None:
        log(f"[data] generating {path} ({rows:,} rows, seed {seed})")
        cmd = [python, os.path.join(HERE, "generate_panel.py"), "--rows", str(rows),
               "--seed", str(seed), "--output", path]
        r = subprocess.run(cmd)
        if r.returncode != 0:
            sys.exit(f"data generation failed: {shlex.join(cmd)}")
        with open(meta_path) as fh:
            meta = json.load(fh)
    else:
        log(f"[data] reusing {path} ({os.path.getsize(path):,} bytes)")
    return path, meta


def warm_page_cache(path: str) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


# --------------------------------------------------------------------------
# one timed run

def timed_run(cmd: list[str], timeout: float) -> dict:
    """Run cmd under /usr/bin/time; return wall, peak RSS, stdout, stderr."""
    run = run_timed(cmd, timeout, cwd=REPO)
    return {"cmd": cmd, "returncode": run["returncode"], "wall_seconds": run["wall_seconds"],
            "wall_seconds_harness": run["harness_seconds"], "peak_rss_kib": run["peak_rss_kib"],
            "stdout": run["stdout"], "stderr": run["stderr"], "loadavg_before": None}


def tail(text: str, n: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


def parse_quipu(res: dict) -> dict:
    """Extract coefficients, SEs, nobs and timings from a Quipu run."""
    parsed = {"coef": None, "se": None, "nobs": None, "timings": None, "error": None}
    try:
        doc = json.loads(res["stdout"])
    except json.JSONDecodeError as e:
        parsed["error"] = f"stdout is not one JSON object: {e}"
        return parsed
    coefs = doc.get("coefficients")
    coef, se = {}, {}
    if isinstance(coefs, list):
        for c in coefs:
            term = c.get("term")
            coef[term] = c.get("estimate")
            se[term] = c.get("std_error", c.get("se"))
    elif isinstance(coefs, dict):  # tolerate {"x1": {...}} too
        for term, c in coefs.items():
            coef[term] = c.get("estimate")
            se[term] = c.get("std_error", c.get("se"))
    else:
        parsed["error"] = "no 'coefficients' in Quipu output"
    parsed["coef"], parsed["se"] = coef, se
    parsed["nobs"] = doc.get("nobs")
    for line in reversed(res["stderr"].strip().splitlines()):
        line = line.strip()
        if not line:
            continue
        try:
            t = json.loads(line)
            if isinstance(t, dict) and "timings" in t:
                parsed["timings"] = t["timings"]
        except json.JSONDecodeError:
            pass
        break  # documented: the timings object is the last stderr line
    if parsed["timings"] is None and parsed["error"] is None:
        parsed["error"] = "no {\"timings\": ...} JSON object on the last stderr line"
    return parsed


def parse_pyfixest(res: dict) -> dict:
    parsed = {"coef": None, "se": None, "nobs": None, "timings": None, "error": None}
    lines = [ln for ln in res["stdout"].splitlines() if ln.strip().startswith("{")]
    if not lines:
        parsed["error"] = "no JSON line on stdout"
        return parsed
    try:
        doc = json.loads(lines[-1])
    except json.JSONDecodeError as e:
        parsed["error"] = f"bad JSON: {e}"
        return parsed
    parsed["coef"], parsed["se"], parsed["nobs"] = doc["coef"], doc["se"], doc["nobs"]
    parsed["timings"] = {k: doc.get(k) for k in
                         ("read_seconds", "fit_seconds", "total_seconds",
                          "import_seconds", "read_bytes")}
    parsed["warnings"] = doc.get("warnings", [])
    return parsed


# --------------------------------------------------------------------------
# comparison and summary

def compare(q: dict | None, p: dict | None) -> dict:
    if not q or not p or q.get("coef") is None or p.get("coef") is None:
        return {"checked": False, "agree": None, "reason": "missing results"}
    out = {"checked": True, "coef_rtol": COEF_RTOL, "se_rtol": SE_RTOL, "terms": {}}
    ok = True
    max_c = max_s = 0.0
    for term in TERMS:
        qc, pc = q["coef"].get(term), p["coef"].get(term)
        qs, ps = q["se"].get(term), p["se"].get(term)
        if None in (qc, pc, qs, ps):
            out["terms"][term] = {"missing": True}
            ok = False
            continue
        dc, ds = rel_diff(qc, pc), rel_diff(qs, ps)
        max_c, max_s = max(max_c, dc), max(max_s, ds)
        out["terms"][term] = {"quipu_coef": qc, "pyfixest_coef": pc, "coef_rel_diff": dc,
                              "quipu_se": qs, "pyfixest_se": ps, "se_rel_diff": ds}
        ok &= dc <= COEF_RTOL and ds <= SE_RTOL
    out["nobs_quipu"], out["nobs_pyfixest"] = q.get("nobs"), p.get("nobs")
    out["nobs_equal"] = q.get("nobs") == p.get("nobs")
    out["max_coef_rel_diff"], out["max_se_rel_diff"] = max_c, max_s
    out["agree"] = bool(ok and out["nobs_equal"])
    return out


def summarize(runs: list[dict], file_bytes: int) -> dict:
    good = [r for r in runs if r["returncode"] == 0 and r["parsed"].get("error") is None]
    walls = [r["wall_seconds"] for r in good]
    rss = [r["peak_rss_kib"] for r in good]
    t = [r["parsed"]["timings"] or {} for r in good]
    read_s = [x.get("read_seconds") for x in t]
    read_b = [x.get("read_bytes") or file_bytes for x in t]
    mbps = [b / s / 1e6 for b, s in zip(read_b, read_s) if s]
    return {
        "runs_ok": len(good),
        "runs_failed": len(runs) - len(good),
        "wall_seconds": walls,
        "median_wall_seconds": median(walls),
        "min_wall_seconds": min(walls) if walls else None,
        "peak_rss_kib": rss,
        "median_peak_rss_mib": (median(rss) / 1024) if rss else None,
        "max_peak_rss_mib": (max(rss) / 1024) if rss else None,
        "median_read_seconds": median(read_s),
        "median_fit_seconds": median([x.get("fit_seconds") for x in t]),
        "median_total_seconds_internal": median([x.get("total_seconds") for x in t]),
        "median_import_seconds": median([x.get("import_seconds") for x in t]),
        "median_read_mb_per_s": median(mbps),
    }


# --------------------------------------------------------------------------
# main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Quipu vs pyfixest feols benchmark")
    ap.add_argument("--rows", type=parse_count, action="append",
                    help="row count(s) to run (repeatable; default 1e6 and 1e7)")
    ap.add_argument("--fe", type=int, action="append", choices=sorted(FORMULAS),
                    help="number of fixed effects (repeatable; default 2 and 3)")
    ap.add_argument("--reps", type=int, default=None,
                    help="runs per tool and configuration "
                         "(default 5 for <= 1e6 rows, 3 above)")
    ap.add_argument("--quipu", default=os.path.join(".build", "release", "quipu"),
                    help="Quipu binary (repo-relative or absolute; "
                         "default .build/release/quipu)")
    ap.add_argument("--python", default=sys.executable,
                    help="Python with pyfixest for the reference runs")
    ap.add_argument("--skip-quipu", action="store_true")
    ap.add_argument("--skip-pyfixest", action="store_true")
    ap.add_argument("--data-dir", default=os.path.join(HERE, "data"))
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--timeout", type=float, default=3600.0,
                    help="seconds before one run is killed (default 3600)")
    ap.add_argument("--quipu-extra", default="",
                    help="extra arguments appended to the Quipu command")
    # Handled by run_feols.sh; accepted here so that all arguments pass through.
    ap.add_argument("--no-build", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-install", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    rows_list = args.rows or [10**6, 10**7]
    fe_list = args.fe or [2, 3]

    if not os.access(TIME_BIN, os.X_OK):
        sys.exit(f"{TIME_BIN} not found: apt-get install -y time "
                 "(run_feols.sh does this for you)")

    quipu = args.quipu if os.path.isabs(args.quipu) else os.path.join(REPO, args.quipu)
    run_quipu = not args.skip_quipu
    quipu_missing = False
    if run_quipu and not os.access(quipu, os.X_OK):
        quipu_missing = True
        run_quipu = False
        log("")
        log("=" * 72)
        log(f"QUIPU BINARY NOT FOUND: {quipu}")
        log("Build it with:  swift build -c release --product quipu")
        log("(or run bash Benchmarks/run_feols.sh without --no-build).")
        log("Continuing with pyfixest only; Quipu columns will read n/a.")
        log("=" * 72)
        log("")
    run_pf = not args.skip_pyfixest
    if not run_quipu and not run_pf:
        sys.exit("nothing to run (Quipu missing/skipped and pyfixest skipped)")

    started = _dt.datetime.now()
    machine = machine_facts()
    if machine["loadavg_at_start"] and machine["loadavg_at_start"][0] > 0.5:
        log(f"WARNING: load average {machine['loadavg_at_start']} at start: "
            "something else is using the CPU; timings will be noisy.")
    versions = python_versions(args.python) if run_pf else {}
    versions["quipu"] = quipu_version(quipu) if run_quipu else None
    versions["swift"] = (run_capture(["swift", "--version"], timeout=60) or "").splitlines()[:1]
    versions["swift"] = versions["swift"][0] if versions["swift"] else None

    configs = []
    for rows in rows_list:
        path, meta = ensure_data(rows, args.data_dir, args.seed, args.python)
        file_bytes = os.path.getsize(path)
        reps = args.reps or (5 if rows <= 10**6 else 3)
        for fe in fe_list:
            formula = FORMULAS[fe]
            col_bytes = rows * len(USED_COLUMNS[fe]) * 8
            qcmd = [quipu, "feols", "--data", path, "--formula", formula,
                    "--vcov", f"cluster:{CLUSTER}", "--format", "json", "--timings"]
            qcmd += shlex.split(args.quipu_extra)
            pcmd = [args.python, os.path.join(HERE, "pyfixest_feols.py"),
                    "--data", path, "--fe", str(fe), "--cluster", CLUSTER]
            log(f"\n[run] rows={rows:,} FE={fe} reps={reps}  ({formula})")
            warm_page_cache(path)
            qruns, pruns = [], []
            q_failed = False
            for rep in range(1, reps + 1):
                tools = []
                if run_quipu and not q_failed:
                    tools.append(("quipu", qcmd, parse_quipu, qruns))
                if run_pf:
                    tools.append(("pyfixest", pcmd, parse_pyfixest, pruns))
                if rep % 2 == 0:  # alternate who goes first
                    tools.reverse()
                for name, cmd, parser, bucket in tools:
                    la = loadavg()
                    res = timed_run(cmd, args.timeout)
                    res["loadavg_before"] = la
                    res["rep"] = rep
                    ok = res["returncode"] == 0
                    res["parsed"] = parser(res) if ok else {"error": f"exit {res['returncode']}"}
                    err = res["parsed"].get("error")
                    if ok and not err:
                        log(f"  {name:8s} rep {rep}: wall {fmt(res['wall_seconds'])} s, "
                            f"peak {fmt((res['peak_rss_kib'] or 0) / 1024, '.0f')} MiB")
                    else:
                        log(f"  {name:8s} rep {rep}: FAILED ({err})\n"
                            f"    command: {shlex.join(cmd)}\n"
                            f"    stderr tail:\n{tail(res['stderr'])}")
                        if name == "quipu":
                            q_failed = True  # don't repeat a failing Quipu run
                    # keep stderr short in the results file
                    res["stderr_tail"] = tail(res.pop("stderr"), 20)
                    res["stdout"] = res["stdout"][-4000:]
                    bucket.append(res)
            q_ok = next((r["parsed"] for r in qruns
                         if r["returncode"] == 0 and not r["parsed"].get("error")), None)
            p_ok = next((r["parsed"] for r in pruns
                         if r["returncode"] == 0 and not r["parsed"].get("error")), None)
            qs = summarize(qruns, file_bytes) if qruns else None
            ps = summarize(pruns, file_bytes) if pruns else None
            agreement = compare(q_ok, p_ok)
            ratio = None
            if qs and ps and qs["median_wall_seconds"] and ps["median_wall_seconds"]:
                ratio = ps["median_wall_seconds"] / qs["median_wall_seconds"]
            peak_over_cols = None
            if qs and qs["median_peak_rss_mib"]:
                peak_over_cols = qs["median_peak_rss_mib"] * 2**20 / col_bytes
            configs.append({
                "rows": rows, "fe": fe, "formula": formula, "vcov": f"CRV1 by {CLUSTER}",
                "data": os.path.relpath(path, REPO), "data_bytes": file_bytes,
                "data_meta": meta, "reps": reps,
                "used_columns": USED_COLUMNS[fe], "column_bytes": col_bytes,
                "quipu_command": shlex.join(qcmd) if run_quipu else None,
                "pyfixest_command": shlex.join(pcmd) if run_pf else None,
                "quipu": qs, "pyfixest": ps,
                "ratio_pyfixest_over_quipu": ratio,
                "quipu_peak_over_column_bytes": peak_over_cols,
                "agreement": agreement,
                "quipu_runs": qruns, "pyfixest_runs": pruns,
            })

    finished = _dt.datetime.now()
    table = markdown_table(configs)
    detail = detail_table(configs)
    result = {
        "benchmark": "feols",
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "machine": machine,
        "versions": versions,
        "git": git_facts(),
        "quipu_binary": os.path.relpath(quipu, REPO),
        "quipu_missing": quipu_missing,
        "tolerances": {"coef_rtol": COEF_RTOL, "se_rtol": SE_RTOL},
        "notes": [
            "wall seconds and peak RSS from /usr/bin/time -f '%e %M' (end to end: "
            "process start, CSV read, fit, output); medians over reps",
            "pyfixest: pandas.read_csv (default C engine) + pyfixest.feols with "
            "defaults (fixef_rm='singleton', MAP rust demeaner, fixef_tol=1e-6)",
            "MB = 1e6 bytes; MiB = 2^20 bytes; column size = rows x used columns x 8 B",
            "file pages were warmed (read once) before each configuration",
        ],
        "markdown_table": table,
        "markdown_detail": detail,
        "configs": configs,
    }
    os.makedirs(args.results_dir, exist_ok=True)
    out_path = os.path.join(args.results_dir, f"feols-{started.date().isoformat()}.json")
    if os.path.exists(out_path):
        out_path = os.path.join(
            args.results_dir, f"feols-{started.strftime('%Y-%m-%dT%H%M%S')}.json")
    with open(out_path, "w") as fh:
        json.dump(result, fh, indent=1)
        fh.write("\n")

    print(table)
    print()
    print(detail)
    print()
    print(f"Machine: {machine['nproc']} cores, {machine['cpu_model']}, "
          f"{machine['mem_total_gib']} GiB; OpenBLAS: "
          f"{', '.join(machine['openblas_dpkg']) or 'n/a'}")
    print(f"Versions: pyfixest {versions.get('pyfixest')}, pandas {versions.get('pandas')}, "
          f"numpy {versions.get('numpy')}, Python {versions.get('python')}, "
          f"Quipu: {versions.get('quipu')}")
    if quipu_missing:
        print(f"NOTE: Quipu binary missing ({os.path.relpath(quipu, REPO)}); pyfixest only.")
    print(f"Results written to {show_path(out_path)}")
    disagree = [c for c in configs if c["agreement"].get("agree") is False]
    failed = [c for c in configs
              if (c["quipu"] and c["quipu"]["runs_failed"])
              or (c["pyfixest"] and c["pyfixest"]["runs_failed"])]
    if disagree:
        print("WARNING: Quipu and pyfixest disagree in: "
              + ", ".join(f"{c['rows']:,} rows / {c['fe']} FE" for c in disagree))
    return 1 if (disagree or failed) else 0


def agree_cell(c: dict) -> str:
    a = c["agreement"]
    if not a.get("checked"):
        return "n/a"
    word = "yes" if a["agree"] else "**NO**"
    extra = "" if a["nobs_equal"] else f", nobs {a['nobs_quipu']} vs {a['nobs_pyfixest']}"
    return (f"{word} (coef {a['max_coef_rel_diff']:.1e}, "
            f"se {a['max_se_rel_diff']:.1e}{extra})")


def markdown_table(configs: list[dict]) -> str:
    head = ("| rows | FE | Quipu median s | pyfixest median s | ratio (pyfixest/Quipu) "
            "| Quipu peak MiB | pyfixest peak MiB | Quipu peak / column size "
            "| Quipu read MB/s | pandas read MB/s | coefficients agree |")
    sep = "|" + "---|" * 11
    lines = [head, sep]
    for c in configs:
        q, p = c["quipu"] or {}, c["pyfixest"] or {}
        lines.append(
            f"| {c['rows']:,} | {c['fe']} "
            f"| {fmt(q.get('median_wall_seconds'))} | {fmt(p.get('median_wall_seconds'))} "
            f"| {fmt(c['ratio_pyfixest_over_quipu'], '.1f')} "
            f"| {fmt(q.get('median_peak_rss_mib'), '.0f')} "
            f"| {fmt(p.get('median_peak_rss_mib'), '.0f')} "
            f"| {fmt(c['quipu_peak_over_column_bytes'], '.2f')} "
            f"| {fmt(q.get('median_read_mb_per_s'), '.0f')} "
            f"| {fmt(p.get('median_read_mb_per_s'), '.0f')} "
            f"| {agree_cell(c)} |")
    return "\n".join(lines)


def detail_table(configs: list[dict]) -> str:
    head = ("| rows | FE | reps | column size MiB | Quipu read s | Quipu fit s "
            "| pandas read s | pyfixest fit s | pyfixest import s | pyfixest read+fit s |")
    sep = "|" + "---|" * 10
    lines = ["In-process timings (medians; from Quipu --timings and pyfixest_feols.py):",
             "", head, sep]
    for c in configs:
        q, p = c["quipu"] or {}, c["pyfixest"] or {}
        lines.append(
            f"| {c['rows']:,} | {c['fe']} | {c['reps']} "
            f"| {c['column_bytes'] / 2**20:.0f} "
            f"| {fmt(q.get('median_read_seconds'))} | {fmt(q.get('median_fit_seconds'))} "
            f"| {fmt(p.get('median_read_seconds'))} | {fmt(p.get('median_fit_seconds'))} "
            f"| {fmt(p.get('median_import_seconds'))} "
            f"| {fmt(p.get('median_total_seconds_internal'))} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
