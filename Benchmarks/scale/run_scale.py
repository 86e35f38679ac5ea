#!/usr/bin/env python3
"""Scale benchmark: quipu feols  y ~ x1 + x2 + x3 | firm + year, CRV1 by firm, up to 10^8 rows.

    python3 Benchmarks/scale/run_scale.py [--rows 1e8] [--reps 3] [--data-dir Benchmarks/data]
        [--quipu .build/release/quipu] [--formats csv,arrow] [--pyfixest-max-rows 1e7]

For each row count (--rows takes a comma list or may be repeated, e.g. --rows 1e7,1e8):

1. generates DATA_DIR/scale_<rows>.csv (and .arrow) with generate_scale.py unless the files and
   their .meta.json (same rows, seed and generator version) are already there;
2. computes, or loads from FILE.reference.json, the streaming numpy reference (reference_scale.py)
   for each format's file; the cache is used only if it names the file's current size and mtime;
3. for each format: reads the file once to warm the page cache, then runs quipu REPS times under
   `/usr/bin/time -f '%e %M'` (wall seconds, peak RSS) while sampling /proc/PID/status every
   0.1 s for the peak anonymous and file-backed resident memory (an uncompressed Arrow file is
   memory-mapped by quipu, so its pages count in RSS although they are page cache); records the
   1-minute load average before each run; parses the `{"timings": ...}` stderr line; and compares
   coefficients and standard errors with the reference (max relative error);
4. runs pyfixest (../pyfixest_feols.py: pandas.read_csv + pf.feols) on the CSV, under
   /usr/bin/time too, when rows <= --pyfixest-max-rows; above that it records why not (the peak
   measured at the largest smaller row count in this invocation, or failing that in the newest
   earlier results file, scaled linearly to this row count, against MemTotal).

Writes results/scale-<UTC time>.json and .md (a Markdown table, also printed). Exits 1 if a run
failed or a result disagrees with the reference beyond --tolerance.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, ".."))
from bench_data import parse_count  # noqa: E402

FORMULA = "y ~ x1 + x2 + x3 | firm + year"
CLUSTER = "firm"
USED_COLUMNS = 6  # y, x1, x2, x3, firm, year
TERMS = ["x1", "x2", "x3"]
DEFAULT_SEED = 20261130
GENERATOR_VERSION = 1  # must match generate_scale.py


def log(msg: str) -> None:
    print(f"[{dt.datetime.now(dt.timezone.utc).strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def row_label(rows: int) -> str:
    k = round(math.log10(rows))
    return f"1e{k}" if 10 ** k == rows else str(rows)


def loadavg() -> list:
    with open("/proc/loadavg") as fh:
        return [float(v) for v in fh.read().split()[:3]]


def meminfo_kib(key: str) -> int:
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def machine_facts(quipu: str) -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception as exc:  # noqa: BLE001
            return f"error: {exc}"

    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    facts = {
        "nproc": int(run(["nproc"]) or 0),
        "cpu": cpu,
        "mem_total_kib": meminfo_kib("MemTotal"),
        "mem_available_kib_at_start": meminfo_kib("MemAvailable"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "main_commit": run(["git", "-C", ROOT, "rev-parse", "HEAD"]),
        "benchmark_commit": run(["git", "-C", HERE, "rev-parse", "HEAD"]),
        "quipu": os.path.abspath(quipu),
    }
    if os.path.exists(quipu):
        st = os.stat(quipu)
        facts["quipu_bytes"] = st.st_size
        facts["quipu_mtime"] = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).isoformat()
        facts["quipu_version"] = run([quipu, "--version"])
    try:
        import pyfixest, pandas, numpy, pyarrow  # noqa: E401
        facts["versions"] = {"pyfixest": pyfixest.__version__, "pandas": pandas.__version__,
                             "numpy": numpy.__version__, "pyarrow": pyarrow.__version__}
    except ImportError:
        pass
    return facts


# ---------------------------------------------------------------- data and reference

def data_paths(data_dir: str, rows: int) -> dict:
    stem = os.path.join(data_dir, f"scale_{row_label(rows)}")
    return {"csv": stem + ".csv", "arrow": stem + ".arrow"}


def data_ok(path: str, rows: int, seed: int) -> bool:
    try:
        with open(path + ".meta.json") as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return False
    return (os.path.exists(path) and meta.get("rows") == rows and meta.get("seed") == seed
            and meta.get("generator_version") == GENERATOR_VERSION)


def ensure_data(paths: dict, formats: list, rows: int, seed: int) -> dict:
    if all(data_ok(paths[f], rows, seed) for f in formats):
        log(f"data for {row_label(rows)} rows present")
        return {"generated": False}
    log(f"generating {row_label(rows)} rows -> {paths['csv']}" + (f", {paths['arrow']}" if "arrow" in formats else ""))
    cmd = [sys.executable, os.path.join(HERE, "generate_scale.py"), str(rows), "--csv", paths["csv"], "--seed", str(seed)]
    if "arrow" in formats:
        cmd += ["--arrow", paths["arrow"]]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return {"generated": True, "generate_seconds": round(time.perf_counter() - t0, 1)}


def file_stamp(path: str) -> dict:
    st = os.stat(path)
    return {"file_bytes": st.st_size, "file_mtime_ns": st.st_mtime_ns}


def reference_for(path: str) -> dict:
    cache = path + ".reference.json"
    stamp = file_stamp(path)
    try:
        with open(cache) as fh:
            ref = json.load(fh)
        if ref.get("file_bytes") == stamp["file_bytes"] and ref.get("file_mtime_ns") == stamp["file_mtime_ns"]:
            log(f"reference loaded from {cache}")
            ref["cached"] = True
            return ref
    except (OSError, ValueError):
        pass
    log(f"computing reference for {path}")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, sys.executable,
                               os.path.join(HERE, "reference_scale.py"), path],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"reference_scale.py failed on {path}:\n{proc.stderr}")
        wall, peak = tf.read().strip().splitlines()[-1].split()
    ref = json.loads(proc.stdout.strip().splitlines()[-1])
    ref.update(stamp)
    ref["wall_seconds"] = float(wall)
    ref["peak_rss_kib"] = int(peak)
    tmp = cache + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(ref, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, cache)
    ref["cached"] = False
    return ref


def warm_cache(path: str) -> float:
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as fh:
        buf = bytearray(16 << 20)
        while fh.readinto(buf):
            pass
    return round(time.perf_counter() - t0, 2)


def rel_errors(coef: dict, se: dict, ref: dict) -> dict:
    ce = max(abs(coef[t] - ref["coef"][t]) / abs(ref["coef"][t]) for t in TERMS)
    sr = max(abs(se[t] - ref["se"][t]) / abs(ref["se"][t]) for t in TERMS)
    return {"coef_max_rel_err": ce, "se_max_rel_err": sr}


# ---------------------------------------------------------------- timed runs

def _status_kib(pid: int) -> dict:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("RssAnon:", "RssFile:", "VmRSS:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def _child_pid(pid: int):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = fh.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def timed(cmd: list, timeout: float) -> dict:
    """Run cmd under /usr/bin/time -f '%e %M'; sample the child's RssAnon/RssFile peaks."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, \
            tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        load = loadavg()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd, stdout=out, stderr=err, text=True)
        peaks = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0}
        stop = threading.Event()

        def sample():
            child = None
            while not stop.is_set():
                child = child or _child_pid(proc.pid)
                if child:
                    for k, v in _status_kib(child).items():
                        peaks[k] = max(peaks[k], v)
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        time_lines = tf.read().strip().splitlines()
    res = {"cmd": cmd, "returncode": rc, "loadavg_before": load, "stdout": stdout, "stderr": stderr,
           "time_output": time_lines,
           "sampled_peak_kib": {"rss": peaks["VmRSS"], "anon": peaks["RssAnon"], "file": peaks["RssFile"]}}
    try:
        wall, peak = time_lines[-1].split()
        res["wall_seconds"] = float(wall)
        res["peak_rss_kib"] = int(peak)
    except (IndexError, ValueError):
        res["wall_seconds"] = None
        res["peak_rss_kib"] = None
    return res


def run_quipu(quipu: str, path: str, ref: dict, timeout: float) -> dict:
    cmd = [quipu, "feols", "--data", path, "--formula", FORMULA, "--vcov", f"cluster:{CLUSTER}",
           "--format", "json", "--timings"]
    r = timed(cmd, timeout)
    run = {k: r[k] for k in ("returncode", "loadavg_before", "wall_seconds", "peak_rss_kib", "sampled_peak_kib", "time_output")}
    timings = None
    for line in reversed(r["stderr"].strip().splitlines()):
        if line.startswith('{"timings"'):
            timings = json.loads(line)["timings"]
            break
    run["timings"] = timings
    if r["returncode"] != 0:
        run["ok"] = False
        run["error"] = r["stderr"][-4000:]
        return run
    try:
        res = json.loads(r["stdout"])
        coefs = {c["term"]: c for c in res["coefficients"]}
        coef = {t: float(coefs[t]["estimate"]) for t in TERMS}
        se = {t: float(coefs[t]["std_error"]) for t in TERMS}
        run.update({"coef": coef, "se": se, "nobs": res.get("nobs")})
        run.update(rel_errors(coef, se, ref))
        run["nobs_matches"] = res.get("nobs") == ref["nobs"]
        run["ok"] = True
        other = [l for l in r["stderr"].strip().splitlines() if not l.startswith('{"timings"')]
        if other:
            run["stderr_other"] = other[-20:]
    except (ValueError, KeyError, TypeError) as exc:
        run["ok"] = False
        run["error"] = f"could not parse quipu output: {exc}; stdout head: {r['stdout'][:2000]}"
    return run


def run_pyfixest(path: str, ref: dict, timeout: float) -> dict:
    cmd = [sys.executable, os.path.join(HERE, "..", "pyfixest_feols.py"), "--data", path, "--formula", FORMULA,
           "--cluster", CLUSTER]
    r = timed(cmd, timeout)
    run = {k: r[k] for k in ("returncode", "loadavg_before", "wall_seconds", "peak_rss_kib", "sampled_peak_kib", "time_output")}
    if r["returncode"] != 0:
        run["ok"] = False
        run["error"] = r["stderr"][-4000:]
        return run
    res = json.loads(r["stdout"].strip().splitlines()[-1])
    run.update({k: res[k] for k in ("read_seconds", "fit_seconds", "total_seconds", "import_seconds", "coef", "se", "nobs", "warnings")})
    run.update(rel_errors(res["coef"], res["se"], ref))
    run["nobs_matches"] = res["nobs"] == ref["nobs"]
    run["ok"] = True
    return run


# ---------------------------------------------------------------- summary

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(entry: dict, rows: int) -> dict:
    runs = [r for r in entry["runs"] if r.get("ok")]
    s = {"runs_ok": len(runs), "runs": len(entry["runs"])}
    if not runs:
        return s
    s["median_wall_seconds"] = median([r["wall_seconds"] for r in runs])
    s["min_wall_seconds"] = min(r["wall_seconds"] for r in runs)
    s["max_wall_seconds"] = max(r["wall_seconds"] for r in runs)
    peak = max(r["peak_rss_kib"] for r in runs)
    s["max_peak_rss_mib"] = peak / 1024
    s["max_sampled_anon_mib"] = max(r["sampled_peak_kib"]["anon"] for r in runs) / 1024
    s["max_sampled_file_mib"] = max(r["sampled_peak_kib"]["file"] for r in runs) / 1024
    s["peak_over_data"] = peak * 1024 / (rows * USED_COLUMNS * 8)
    s["coef_max_rel_err"] = max(r["coef_max_rel_err"] for r in runs)
    s["se_max_rel_err"] = max(r["se_max_rel_err"] for r in runs)
    s["loadavg_1min_before"] = [r["loadavg_before"][0] for r in entry["runs"]]
    if entry["tool"] == "quipu":
        s["median_read_seconds"] = median([(r["timings"] or {}).get("read_seconds") for r in runs])
        s["median_fit_seconds"] = median([(r["timings"] or {}).get("fit_seconds") for r in runs])
        s["median_total_seconds"] = median([(r["timings"] or {}).get("total_seconds") for r in runs])
        s["sweeps"] = sorted({(r["timings"] or {}).get("absorption_sweeps") for r in runs}, key=str)
        reported = [(r["timings"] or {}).get("peak_memory_bytes") for r in runs]
        s["max_self_reported_peak_mib"] = max(reported) / 2**20 if all(reported) else None
    else:
        s["median_read_seconds"] = median([r["read_seconds"] for r in runs])
        s["median_fit_seconds"] = median([r["fit_seconds"] for r in runs])
        s["median_total_seconds"] = median([r["total_seconds"] for r in runs])
        s["sweeps"] = []
    return s


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def markdown(results: dict) -> str:
    lines = [
        f"Model: `{FORMULA}`, CRV1 by firm. Machine: {results['machine']['nproc']} cores, "
        f"{results['machine']['mem_total_kib'] / 1024**2:.1f} GiB, {results['machine']['cpu']}. "
        f"Peak = max RSS over the runs (GNU time %M); anon / file = peaks of RssAnon / RssFile sampled every 0.1 s "
        f"(file = mapped file pages, e.g. the memory-mapped Arrow file); data = rows x {USED_COLUMNS} used columns x 8 bytes. "
        "Errors are max relative differences from the streaming numpy reference.",
        "",
        "| rows | tool | format | file size | runs | median wall s | median read s | median fit s | sweeps | peak MiB | anon / file MiB | peak / data | coef rel. err | SE rel. err | load avg (1 min) before runs |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in results["entries"]:
        s = e["summary"]
        size = f"{e['file_bytes'] / 1e9:.2f} GB"
        if e.get("skipped"):
            lines.append(f"| {row_label(e['rows'])} | {e['tool']} | {e['format']} | {size} | 0 | not run: {e['skipped']} |  |  |  |  |  |  |  |  |  |")
            continue
        if s["runs_ok"] == 0:
            err = (e["runs"][0].get("error") or "").strip().splitlines()
            pk = e["runs"][0].get("peak_rss_kib")
            lines.append(f"| {row_label(e['rows'])} | {e['tool']} | {e['format']} | {size} | 0/{s['runs']} | FAILED: "
                         f"{(err[-1] if err else 'rc ' + str(e['runs'][0]['returncode']))[:200]} |  |  |  | "
                         f"{fmt(pk / 1024 if pk else None, '.0f')} |  |  |  |  |  |")
            continue
        sweeps = ",".join(str(v) for v in s["sweeps"]) or "–"
        loads = " ".join(f"{v:.2f}" for v in s["loadavg_1min_before"])
        runs = f"{s['runs_ok']}" if s["runs_ok"] == s["runs"] else f"{s['runs_ok']}/{s['runs']}"
        lines.append(
            f"| {row_label(e['rows'])} | {e['tool']} | {e['format']} | {size} | {runs} | {fmt(s['median_wall_seconds'], '.2f')} | "
            f"{fmt(s['median_read_seconds'], '.2f')} | {fmt(s['median_fit_seconds'], '.2f')} | {sweeps} | "
            f"{s['max_peak_rss_mib']:.0f} | {s['max_sampled_anon_mib']:.0f} / {s['max_sampled_file_mib']:.0f} | {s['peak_over_data']:.2f} | {s['coef_max_rel_err']:.1e} | {s['se_max_rel_err']:.1e} | {loads} |")
    lines.append("")
    lines.append("Reference (streaming numpy, reference_scale.py):")
    lines.append("")
    lines.append("| rows | file | nobs | x1 | x2 | x3 | SE x1 | SE x2 | SE x3 | wall s | peak MiB |")
    lines.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key, ref in results["references"].items():
        lines.append(f"| {row_label(ref['nobs'])} | {os.path.basename(key)} | {ref['nobs']} | "
                     + " | ".join(f"{ref['coef'][t]:.10f}" for t in TERMS) + " | "
                     + " | ".join(f"{ref['se'][t]:.4e}" for t in TERMS)
                     + f" | {fmt(ref.get('wall_seconds'), '.1f')} | {fmt(ref['peak_rss_kib'] / 1024 if ref.get('peak_rss_kib') else None, '.0f')} |")
    return "\n".join(lines) + "\n"


def earlier_pyfixest_peak(results_dir: str):
    """Newest earlier results file with a successful pyfixest run: (rows, peak KiB, file)."""
    for path in sorted(glob.glob(os.path.join(results_dir, "scale-*.json")), reverse=True):
        try:
            with open(path) as fh:
                old = json.load(fh)
        except (OSError, ValueError):
            continue
        best = None
        for e in old.get("entries", []):
            if e["tool"] == "pyfixest" and e["summary"].get("runs_ok"):
                pk = max(r["peak_rss_kib"] for r in e["runs"] if r.get("ok"))
                if best is None or e["rows"] > best[0]:
                    best = (e["rows"], pk, os.path.basename(path))
        if best:
            return best
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", action="append", default=None,
                    help="row count(s): 1e8, or a comma list 1e6,1e7 (repeatable; default 1e8)")
    ap.add_argument("--reps", type=int, default=3, help="quipu runs per format (default 3)")
    ap.add_argument("--pyfixest-reps", type=int, default=None, help="pyfixest runs (default: --reps)")
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "Benchmarks", "data"))
    ap.add_argument("--quipu", default=os.path.join(ROOT, ".build", "release", "quipu"))
    ap.add_argument("--formats", default="csv,arrow", help="comma list of csv, arrow")
    ap.add_argument("--pyfixest-max-rows", type=parse_count, default=10_000_000,
                    help="run pyfixest only up to this many rows (default 1e7)")
    ap.add_argument("--skip-pyfixest", action="store_true")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--timeout", type=float, default=3600.0, help="time limit per run, seconds")
    ap.add_argument("--tolerance", type=float, default=1e-6,
                    help="max relative error of coefficients and SEs vs the reference (default 1e-6)")
    args = ap.parse_args(argv)

    rows_list = sorted({parse_count(v) for spec in (args.rows or ["1e8"]) for v in spec.split(",") if v})
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    for f in formats:
        if f not in ("csv", "arrow"):
            ap.error(f"unknown format {f!r}")
    if not os.access(args.quipu, os.X_OK):
        ap.error(f"quipu binary not found or not executable: {args.quipu}")
    os.makedirs(args.data_dir, exist_ok=True)
    os.makedirs(args.results_dir, exist_ok=True)

    started = dt.datetime.now(dt.timezone.utc)
    machine = machine_facts(args.quipu)
    results = {"benchmark": "Benchmarks/scale/run_scale.py", "started_utc": started.isoformat(),
               "formula": FORMULA, "vcov": f"CRV1 by {CLUSTER}", "used_columns": USED_COLUMNS,
               "args": vars(args) | {"rows": rows_list, "formats": formats},
               "machine": machine, "loadavg_at_start": loadavg(), "data": {}, "references": {}, "entries": []}
    if results["loadavg_at_start"][0] > 0.5:
        log(f"warning: 1-minute load average is {results['loadavg_at_start'][0]:.2f}; other work inflates the timings")
    failed = False
    pyfixest_peaks = {}  # rows -> max peak KiB measured in this invocation
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    out_json = os.path.join(args.results_dir, f"scale-{stamp}.json")
    out_md = os.path.join(args.results_dir, f"scale-{stamp}.md")

    def save():
        results["finished_utc"] = dt.datetime.now(dt.timezone.utc).isoformat()
        tmp = out_json + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(results, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, out_json)
        with open(out_md, "w") as fh:
            fh.write(f"# Scale benchmark {stamp}\n\n" + markdown(results))

    for rows in rows_list:
        paths = data_paths(args.data_dir, rows)
        gen = ensure_data(paths, formats, rows, args.seed)
        results["data"][row_label(rows)] = gen | {f: {"path": paths[f], "bytes": os.path.getsize(paths[f])} for f in formats}
        refs = {}
        for f in formats:
            refs[f] = reference_for(paths[f])
            results["references"][paths[f]] = {k: v for k, v in refs[f].items() if k != "vcov"}
            if refs[f]["nobs"] != rows:
                log(f"reference nobs {refs[f]['nobs']} != rows {rows}")
                failed = True
        if len(refs) > 1:
            a, b = refs["csv"], refs["arrow"]
            results["data"][row_label(rows)]["csv_vs_arrow_reference_max_rel_diff"] = rel_errors(a["coef"], a["se"], b)
        save()

        for f in formats:
            path = paths[f]
            entry = {"rows": rows, "tool": "quipu", "format": f, "file": path, "file_bytes": os.path.getsize(path)}
            entry["warm_cache_seconds"] = warm_cache(path)
            log(f"quipu {row_label(rows)} {f}: page cache warmed in {entry['warm_cache_seconds']} s")
            entry["runs"] = []
            for rep in range(args.reps):
                run = run_quipu(args.quipu, path, refs[f], args.timeout)
                entry["runs"].append(run)
                if run.get("ok"):
                    t = run["timings"] or {}
                    log(f"  rep {rep + 1}: wall {run['wall_seconds']} s, peak {run['peak_rss_kib'] / 1024:.0f} MiB "
                        f"(anon {run['sampled_peak_kib']['anon'] / 1024:.0f}, file {run['sampled_peak_kib']['file'] / 1024:.0f}), "
                        f"read {t.get('read_seconds')}, fit {t.get('fit_seconds')}, sweeps {t.get('absorption_sweeps')}, "
                        f"coef err {run['coef_max_rel_err']:.1e}, se err {run['se_max_rel_err']:.1e}, load {run['loadavg_before'][0]}")
                    if (run["coef_max_rel_err"] > args.tolerance or run["se_max_rel_err"] > args.tolerance
                            or not run["nobs_matches"]):
                        failed = True
                else:
                    failed = True
                    log(f"  rep {rep + 1}: FAILED rc={run['returncode']} peak={run['peak_rss_kib']} KiB: "
                        f"{(run.get('error') or '').strip()[-500:]}")
                    break  # no point repeating a failure
            entry["summary"] = summarise(entry, rows)
            results["entries"].append(entry)
            save()

        if args.skip_pyfixest:
            continue
        path = paths["csv"] if "csv" in paths else None
        entry = {"rows": rows, "tool": "pyfixest", "format": "csv", "file": path, "file_bytes": os.path.getsize(path),
                 "runs": []}
        if rows <= args.pyfixest_max_rows:
            if "csv" not in formats:
                ensure_data(paths, ["csv"], rows, args.seed)
            ref = refs.get("csv") or reference_for(path)
            entry["warm_cache_seconds"] = warm_cache(path)
            for rep in range(args.pyfixest_reps or args.reps):
                run = run_pyfixest(path, ref, args.timeout)
                entry["runs"].append(run)
                if run.get("ok"):
                    log(f"  pyfixest {row_label(rows)} rep {rep + 1}: wall {run['wall_seconds']} s, peak {run['peak_rss_kib'] / 1024:.0f} MiB, "
                        f"read {run['read_seconds']:.2f}, fit {run['fit_seconds']:.2f}, coef err {run['coef_max_rel_err']:.1e}, "
                        f"se err {run['se_max_rel_err']:.1e}, load {run['loadavg_before'][0]}")
                    pyfixest_peaks[rows] = max(pyfixest_peaks.get(rows, 0), run["peak_rss_kib"])
                    if run["coef_max_rel_err"] > args.tolerance or run["se_max_rel_err"] > args.tolerance:
                        failed = True
                else:
                    failed = True
                    log(f"  pyfixest {row_label(rows)} rep {rep + 1}: FAILED rc={run['returncode']}: {(run.get('error') or '')[-500:]}")
                    break
        else:
            mem_total = machine["mem_total_kib"]
            smaller = [r for r in pyfixest_peaks if r < rows]
            if smaller:
                base_rows = max(smaller)
                base_peak, source = pyfixest_peaks[base_rows], "this invocation"
            else:
                earlier = earlier_pyfixest_peak(args.results_dir)
                base_rows, base_peak, source = earlier if earlier else (None, None, None)
            if base_rows:
                projected = base_peak * rows / base_rows
                entry["projected_peak_kib"] = projected
                entry["projection_basis"] = {"rows": base_rows, "peak_rss_kib": base_peak, "source": source}
                verdict = "exceeds" if projected > mem_total else "would fit in"
                entry["skipped"] = (f"rows > --pyfixest-max-rows {row_label(args.pyfixest_max_rows)}; measured peak at "
                                    f"{row_label(base_rows)} ({source}) {base_peak / 1024**2:.2f} GiB x {rows / base_rows:g} = "
                                    f"{projected / 1024**2:.1f} GiB, which {verdict} MemTotal {mem_total / 1024**2:.1f} GiB")
            else:
                entry["skipped"] = (f"rows > --pyfixest-max-rows {row_label(args.pyfixest_max_rows)}; "
                                    "no measured pyfixest peak available to project from")
            log(f"pyfixest {row_label(rows)}: not run: {entry['skipped']}")
        entry["summary"] = summarise(entry, rows)
        results["entries"].append(entry)
        save()

    results["failed"] = failed
    save()
    md = markdown(results)
    print(md)
    log(f"wrote {out_json} and {out_md}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
