#!/usr/bin/env python3
"""Read speed of Quipu against pandas / pyarrow / pyreadstat on the same files, per file format.

One firm-year panel (Benchmarks/generate_panel.py, seed 42) is written as CSV, .csv.gz, Arrow IPC
(uncompressed, LZ4, ZSTD), Stata .dta and SPSS .sav.  For each file the runner times

  * Quipu: `quipu feols --data FILE --formula "y ~ x1 + x2 | firm + year" --format json
    --timings`; read_seconds from the timings line, whole-process wall and peak RSS from
    `/usr/bin/time -f '%e %M'`;
  * the natural Python readers of that format (read_peer.py), each in a fresh interpreter that
    reads the same five columns (firm, year, x1, x2, y) and reports the seconds of the read call;
    wall and peak RSS again from /usr/bin/time (so they include interpreter start and imports).

Every file is read once before its runs (warm page cache); the tools alternate within a format
and the median of --reps runs is reported.  Quipu's coefficients must agree across formats to
1e-12 relative (against the CSV's); the Python readers' column sums must agree too.

Writes Benchmarks/formats/results/formats-<UTC>.json and prints Markdown tables.

Usage: Benchmarks/formats/.venv/bin/python Benchmarks/formats/run_formats.py \
           [--rows 1e7] [--reps 3] [--data-dir Benchmarks/data] [--quipu PATH]
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
from bench_data import parse_count, run_timed  # noqa: E402

TIME_BIN = "/usr/bin/time"
FORMULA = "y ~ x1 + x2 | firm + year"
COLUMNS = ["firm", "year", "x1", "x2", "y"]
SEED = 42
COEF_RTOL = 1e-12
SUM_RTOL = 1e-9

# format key -> (label, file suffix, Python peers)
FORMATS = [
    ("csv", "CSV", ".csv", ["pandas.read_csv", "pyarrow.csv.read_csv"]),
    ("csv.gz", "CSV gzip -6", ".csv.gz", ["pandas.read_csv", "pyarrow.csv.read_csv"]),
    ("arrow", "Arrow (uncompressed)", ".arrow",
     ["pyarrow.feather.read_table", "pandas.read_feather"]),
    ("arrow-lz4", "Arrow LZ4", ".lz4.arrow", ["pyarrow.feather.read_table", "pandas.read_feather"]),
    ("arrow-zstd", "Arrow ZSTD", ".zstd.arrow",
     ["pyarrow.feather.read_table", "pandas.read_feather"]),
    ("dta", "Stata .dta (118)", ".dta", ["pandas.read_stata", "pyreadstat.read_dta"]),
    ("sav", "SPSS .sav", ".sav", ["pyreadstat.read_sav", "pandas.read_spss"]),
]


# --------------------------------------------------------------------------
# helpers

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rows_label(rows: int) -> str:
    k = len(str(rows)) - 1
    return f"1e{k}" if rows == 10 ** k else str(rows)


def run_capture(cmd, timeout=60) -> str | None:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def loadavg() -> list[float] | None:
    try:
        with open("/proc/loadavg") as fh:
            return [float(x) for x in fh.read().split()[:3]]
    except OSError:
        return None


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec=".2f", none="n/a"):
    return none if x is None else format(x, spec)


def rel_diff(a: float, b: float) -> float:
    denom = max(abs(a), abs(b))
    return 0.0 if denom == 0.0 else abs(a - b) / denom


def mib(n):
    return None if n is None else n / 2**20


def warm_page_cache(path: str) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


# --------------------------------------------------------------------------
# machine and versions

def machine_facts() -> dict:
    cpu_model = mem_kib = None
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_kib = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": int(run_capture(["nproc"]) or os.cpu_count()),
        "cpu_model": cpu_model,
        "mem_total_gib": round(mem_kib / 2**20, 2) if mem_kib else None,
        "kernel": platform.release(),
        "os": run_capture(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "thread_env": {k: os.environ[k] for k in
                       ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "ARROW_NUM_THREADS")
                       if k in os.environ},
        "loadavg_at_start": loadavg(),
    }


def versions(quipu: str) -> dict:
    from importlib import metadata
    out = {"python": sys.version.split()[0], "python_executable": sys.executable}
    for p in ("pandas", "numpy", "pyarrow", "pyreadstat", "narwhals"):
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    out["quipu"] = None
    for flag in ("--version", "version"):
        s = run_capture([quipu, flag], timeout=20)
        if s:
            out["quipu"] = s.splitlines()[0]
            break
    g = run_capture(["gzip", "--version"])
    out["gzip"] = g.splitlines()[0] if g else None
    return out


def git_commit(path: str) -> str | None:
    return run_capture(["git", "-C", path, "rev-parse", "HEAD"])


def binary_facts(quipu: str, main_repo: str) -> dict:
    """The binary's sha256 and mtime, and the main checkout's HEAD at that mtime.

    The checkout's HEAD can move while (and after) the binary is built, so HEAD at run time need
    not be the binary's source; HEAD as of the binary's mtime is the likelier one (uncommitted
    changes in the checkout at build time cannot be seen from here).
    """
    import hashlib
    h = hashlib.sha256()
    with open(quipu, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    mtime = dt.datetime.fromtimestamp(os.path.getmtime(quipu), dt.timezone.utc)
    at = run_capture(["git", "-C", main_repo, "rev-list", "-1", "--first-parent",
                      f"--before={mtime.isoformat()}", "HEAD"])
    return {"path": quipu, "sha256": h.hexdigest(), "mtime_utc": mtime.isoformat(),
            "main_commit_at_binary_mtime": at}


# --------------------------------------------------------------------------
# data

def ensure_csv(rows: int, data_dir: str) -> tuple[str, dict]:
    path = os.path.join(data_dir, f"panel_{rows_label(rows)}.csv")
    meta_path = path + ".meta.json"
    meta = None
    if os.path.exists(path) and os.path.exists(meta_path):
        with open(meta_path) as fh:
            meta = json.load(fh)
        if (meta.get("rows") != rows or meta.get("seed") != SEED
                or meta.get("bytes") != os.path.getsize(path)):
            log(f"[data] {path} does not match rows={rows} seed={SEED}; regenerating")
            meta = None
    if meta is None:
        log(f"[data] generating {path}")
        cmd = [sys.executable, os.path.join(BENCH, "generate_panel.py"), "--rows", str(rows),
               "--seed", str(SEED), "--output", path]
        if subprocess.run(cmd).returncode != 0:
            sys.exit("data generation failed: " + " ".join(cmd))
        with open(meta_path) as fh:
            meta = json.load(fh)
    else:
        log(f"[data] reusing {path}")
    return path, meta


class Source:
    """The CSV loaded once (lazily) as an Arrow table and a pandas DataFrame for the writers."""

    def __init__(self, csv: str):
        self.csv = csv
        self._table = None
        self._df = None

    def table(self):
        if self._table is None:
            import pyarrow.csv as pacsv
            self._table = pacsv.read_csv(self.csv)
        return self._table

    def df(self):
        if self._df is None:
            self._df = self.table().to_pandas()
        return self._df


def write_format(key: str, src: Source, out: str) -> str:
    """Write `out` in format `key` from the source; returns a description of the writer."""
    if key == "csv.gz":
        with open(out, "wb") as fh:
            subprocess.run(["gzip", "-6", "-c", src.csv], stdout=fh, check=True)
        return "gzip -6 -c"
    if key.startswith("arrow"):
        import pyarrow.feather as feather
        comp = {"arrow": "uncompressed", "arrow-lz4": "lz4", "arrow-zstd": "zstd"}[key]
        feather.write_feather(src.table(), out, compression=comp)
        return f"pyarrow.feather.write_feather(compression={comp!r})"
    if key == "dta":
        src.df().to_stata(out, version=118, write_index=False)
        return "pandas.DataFrame.to_stata(version=118, write_index=False)"
    if key == "sav":
        import pyreadstat
        pyreadstat.write_sav(src.df(), out)
        return "pyreadstat.write_sav"
    raise ValueError(key)


def ensure_formats(csv: str, csv_meta: dict, rows: int, data_dir: str) -> dict:
    """Every format's file (written if missing or stale), with size and conversion seconds."""
    files = {}
    src = Source(csv)
    stem = os.path.join(data_dir, f"panel_{rows_label(rows)}")
    for key, label, suffix, _ in FORMATS:
        path = stem + suffix
        if key == "csv":
            files[key] = {"path": path, "bytes": os.path.getsize(path), "writer":
                          "Benchmarks/generate_panel.py (pyarrow.csv)",
                          "conversion_seconds": None}
            continue
        meta_path = path + ".meta.json"
        meta = None
        if os.path.exists(path) and os.path.exists(meta_path):
            with open(meta_path) as fh:
                meta = json.load(fh)
            if (meta.get("source_bytes") != csv_meta["bytes"] or meta.get("rows") != rows
                    or meta.get("seed") != csv_meta["seed"]
                    or meta.get("bytes") != os.path.getsize(path)):
                meta = None
        if meta is None:
            log(f"[data] writing {path}")
            la_before = loadavg()
            tmp = path + ".tmp" + suffix
            if key != "csv.gz":
                src.table()  # load the source outside the timed write
                if key in ("dta", "sav"):
                    src.df()
            t0 = time.perf_counter()
            writer = write_format(key, src, tmp)
            secs = time.perf_counter() - t0
            os.replace(tmp, path)
            meta = {"rows": rows, "seed": csv_meta["seed"], "source_bytes": csv_meta["bytes"],
                    "bytes": os.path.getsize(path), "writer": writer,
                    "conversion_seconds": secs, "loadavg_before": la_before,
                    "loadavg_after": loadavg(),
                    "written_utc": dt.datetime.now(dt.timezone.utc).isoformat()}
            with open(meta_path, "w") as fh:
                json.dump(meta, fh, indent=1)
                fh.write("\n")
        else:
            log(f"[data] reusing {path}")
        files[key] = {"path": path, "bytes": meta["bytes"], "writer": meta["writer"],
                      "conversion_seconds": meta["conversion_seconds"],
                      "conversion_loadavg_before": meta.get("loadavg_before"),
                      "conversion_loadavg_after": meta.get("loadavg_after")}
    return files


# --------------------------------------------------------------------------
# one timed run

def timed_run(cmd: list[str], timeout: float) -> dict:
    """Run cmd under /usr/bin/time; wall, peak RSS, stdout, stderr."""
    la = loadavg()
    run = run_timed(cmd, timeout)
    return {"returncode": run["returncode"], "timed_out": run["timed_out"], "wall_seconds": run["wall_seconds"],
            "peak_rss_kib": run["peak_rss_kib"], "stdout": run["stdout"], "stderr": run["stderr"], "loadavg_before": la}


def memory_split_run(cmd: list[str], timeout: float) -> dict:
    """One untimed run sampling /proc/PID/status every 10 ms: peak anonymous and file-backed RSS.

    An mmap'd input (Quipu's Arrow reader) shows up in RSS as file-backed pages that are the
    page cache itself, not private memory; /usr/bin/time's %M cannot tell the two apart.
    """
    peak = {"RssAnon": 0, "RssFile": 0, "VmRSS": 0}
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.perf_counter()
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as fh:
                for line in fh:
                    k = line.split(":", 1)[0]
                    if k in peak:
                        peak[k] = max(peak[k], int(line.split()[1]))
        except (OSError, ValueError):
            pass
        if time.perf_counter() - t0 > timeout:
            p.kill()
            p.wait()
            return {"error": "timeout"}
        time.sleep(0.01)
    return {"returncode": p.returncode, "peak_rss_anon_mib": peak["RssAnon"] / 1024,
            "peak_rss_file_mib": peak["RssFile"] / 1024, "peak_rss_mib": peak["VmRSS"] / 1024}


def parse_quipu(res: dict) -> dict:
    p = {"coef": None, "se": None, "nobs": None, "read_seconds": None, "read_bytes": None,
         "fit_seconds": None, "total_seconds": None, "peak_memory_bytes": None,
         "error": None}
    if res["returncode"] != 0:
        p["error"] = f"exit {res['returncode']}: " + res["stderr"].strip()[-800:]
        return p
    try:
        doc = json.loads(res["stdout"])
    except json.JSONDecodeError as e:
        p["error"] = f"stdout is not JSON: {e}"
        return p
    coefs = doc.get("coefficients")
    coef, se = {}, {}
    if isinstance(coefs, list):
        for c in coefs:
            coef[c.get("term")] = c.get("estimate")
            se[c.get("term")] = c.get("std_error", c.get("se"))
    elif isinstance(coefs, dict):
        for term, c in coefs.items():
            coef[term] = c.get("estimate")
            se[term] = c.get("std_error", c.get("se"))
    p["coef"], p["se"], p["nobs"] = coef, se, doc.get("nobs")
    lines = [ln for ln in res["stderr"].strip().splitlines() if ln.strip()]
    try:
        t = json.loads(lines[-1])["timings"]
        for k in ("read_seconds", "read_bytes", "fit_seconds", "total_seconds",
                  "peak_memory_bytes"):
            p[k] = t.get(k)
    except (IndexError, KeyError, TypeError, json.JSONDecodeError):
        p["error"] = "no {\"timings\": ...} object on the last stderr line"
    return p


def parse_peer(res: dict) -> dict:
    p = {"read_seconds": None, "rows": None, "columns": None, "sums": None, "error": None}
    if res["timed_out"]:
        p["error"] = "timeout"
        return p
    if res["returncode"] != 0:
        p["error"] = f"exit {res['returncode']}: " + res["stderr"].strip()[-800:]
        return p
    try:
        doc = json.loads(res["stdout"].strip().splitlines()[-1])
        for k in ("read_seconds", "rows", "columns", "sums"):
            p[k] = doc[k]
    except (IndexError, KeyError, json.JSONDecodeError) as e:
        p["error"] = f"bad peer output: {e}"
    return p


# --------------------------------------------------------------------------
# main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=parse_count, default=10_000_000, help="default 1e7")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--data-dir", default=os.path.join(ROOT, "Benchmarks", "data"))
    ap.add_argument("--quipu", default=os.path.join(ROOT, ".build", "release", "quipu"))
    ap.add_argument("--main-repo", default=ROOT,
                    help="checkout the Quipu binary was built from (its commit is recorded)")
    ap.add_argument("--formats", default=",".join(k for k, *_ in FORMATS),
                    help="comma-separated subset of " + ",".join(k for k, *_ in FORMATS))
    ap.add_argument("--peer-timeout", type=float, default=300.0,
                    help="seconds; a peer read that times out is not repeated (default 300)")
    ap.add_argument("--quipu-timeout", type=float, default=900.0)
    ap.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    ap.add_argument("--prepare-only", action="store_true",
                    help="write the data files (and record conversion times), then stop")
    args = ap.parse_args(argv)
    if args.prepare_only:
        os.makedirs(args.data_dir, exist_ok=True)
        csv, csv_meta = ensure_csv(args.rows, args.data_dir)
        for k, f in ensure_formats(csv, csv_meta, args.rows, args.data_dir).items():
            log(f"  {k:10s} {f['bytes']:>13,} bytes  {fmt(f['conversion_seconds'])} s")
        return 0

    if not os.access(args.quipu, os.X_OK):
        sys.exit(f"Quipu binary not found or not executable: {args.quipu}")
    if not os.access(TIME_BIN, os.X_OK):
        sys.exit(f"{TIME_BIN} (GNU time) is required: apt-get install time")
    selected = args.formats.split(",")
    unknown = set(selected) - {k for k, *_ in FORMATS}
    if unknown:
        sys.exit(f"unknown formats: {sorted(unknown)}")
    os.makedirs(args.data_dir, exist_ok=True)

    started = dt.datetime.now(dt.timezone.utc)
    csv, csv_meta = ensure_csv(args.rows, args.data_dir)
    files = ensure_formats(csv, csv_meta, args.rows, args.data_dir)

    machine = machine_facts()
    log(f"[machine] nproc {machine['nproc']}, load average {machine['loadavg_at_start']}")
    if machine["loadavg_at_start"] and machine["loadavg_at_start"][0] > 0.5:
        log("WARNING: load average above 0.5 at start; timings will be inflated")

    # Interpreter + import baselines for the peers (no read).
    baselines = {}
    for peer in sorted({p for k, _, _, peers in FORMATS if k in selected for p in peers}):
        res = timed_run([sys.executable, os.path.join(HERE, "read_peer.py"), "noop:" + peer,
                         csv], timeout=120)
        baselines[peer] = {"wall_seconds": res["wall_seconds"],
                           "peak_rss_kib": res["peak_rss_kib"],
                           "returncode": res["returncode"]}
    res = timed_run([args.quipu, "--version"], timeout=60)
    baselines["quipu --version"] = {"wall_seconds": res["wall_seconds"],
                                    "peak_rss_kib": res["peak_rss_kib"],
                                    "returncode": res["returncode"]}

    results = []
    for key, label, _, peers in FORMATS:
        if key not in selected:
            continue
        path = files[key]["path"]
        log(f"[{key}] {path} ({files[key]['bytes'] / 2**20:.1f} MiB)")
        warm_page_cache(path)
        tools = ["quipu"] + peers
        runs = {t: [] for t in tools}
        given_up = set()
        for rep in range(args.reps):
            order = tools[rep % len(tools):] + tools[:rep % len(tools)]
            for tool in order:
                if tool in given_up:
                    continue
                if tool == "quipu":
                    cmd = [args.quipu, "feols", "--data", path, "--formula", FORMULA,
                           "--format", "json", "--timings"]
                    res = timed_run(cmd, args.quipu_timeout)
                    parsed = parse_quipu(res)
                else:
                    cmd = [sys.executable, os.path.join(HERE, "read_peer.py"), tool, path]
                    res = timed_run(cmd, args.peer_timeout)
                    parsed = parse_peer(res)
                    if parsed["error"]:
                        given_up.add(tool)
                run = {"rep": rep, "cmd": cmd, "wall_seconds": res["wall_seconds"],
                       "peak_rss_kib": res["peak_rss_kib"], "returncode": res["returncode"],
                       "timed_out": res["timed_out"], "loadavg_before": res["loadavg_before"],
                       **parsed}
                if parsed["error"]:
                    run["stderr_tail"] = res["stderr"].strip()[-2000:]
                runs[tool].append(run)
                log(f"  rep {rep} {tool:28s} read {fmt(parsed['read_seconds'], '.3f'):>8s} s"
                    f"  wall {fmt(res['wall_seconds'], '.2f'):>7s} s"
                    f"  peak {fmt(mib(res['peak_rss_kib'] and res['peak_rss_kib'] * 1024), '.0f'):>6s} MiB"
                    f"  load {res['loadavg_before'][0] if res['loadavg_before'] else '?'}"
                    + (f"  ERROR {parsed['error'][:200]}" if parsed["error"] else ""))
        # One extra, untimed run per tool: anonymous vs file-backed peak RSS.
        memory = {}
        for tool in tools:
            if tool in given_up:
                continue
            cmd = ([args.quipu, "feols", "--data", path, "--formula", FORMULA, "--format",
                    "json"] if tool == "quipu" else
                   [sys.executable, os.path.join(HERE, "read_peer.py"), tool, path])
            memory[tool] = memory_split_run(cmd, args.peer_timeout)
            log(f"  memory {tool:28s} {memory[tool]}")
        summary = {}
        for tool in tools:
            ok = [r for r in runs[tool] if not r["error"]]
            summary[tool] = {
                "runs_ok": len(ok), "runs": len(runs[tool]),
                "read_seconds_median": median([r["read_seconds"] for r in ok]),
                "wall_seconds_median": median([r["wall_seconds"] for r in ok]),
                "peak_rss_mib_median": median([r["peak_rss_kib"] / 1024 for r in ok
                                               if r["peak_rss_kib"]]),
                "read_seconds_all": [r["read_seconds"] for r in ok],
                "error": next((r["error"] for r in runs[tool] if r["error"]), None),
                "timed_out_after": args.peer_timeout if any(r["timed_out"] for r in runs[tool])
                else None,
            }
            summary[tool]["memory_split"] = memory.get(tool)
            if tool == "quipu":
                summary[tool]["fit_seconds_median"] = median([r["fit_seconds"] for r in ok])
                summary[tool]["read_bytes"] = ok[0]["read_bytes"] if ok else None
        results.append({"format": key, "label": label, "file": files[key], "peers": peers,
                        "summary": summary, "runs": runs})

    checks = check_agreement(results)
    finished = dt.datetime.now(dt.timezone.utc)
    doc = {
        "benchmark": "formats",
        "issue": "13 item 5",
        "started_utc": started.isoformat(), "finished_utc": finished.isoformat(),
        "rows": args.rows, "reps": args.reps, "seed": SEED, "formula": FORMULA,
        "columns_read": COLUMNS,
        "method": ("median of reps; page cache warm (file read once before its runs); tools "
                   "alternate within a format (starting tool rotates per rep); Quipu read_seconds "
                   "from --timings; peer read_seconds = perf_counter around the read call in a "
                   "fresh python process; wall and peak RSS from /usr/bin/time -f '%e %M'"),
        "machine": machine,
        "versions": versions(args.quipu),
        "git": {"main_commit": git_commit(args.main_repo), "main_repo": args.main_repo,
                "benchmark_commit": git_commit(REPO)},
        "quipu_binary": binary_facts(args.quipu, args.main_repo),
        "quipu": args.quipu,
        "data": {"csv": csv, "csv_meta": csv_meta, "files": files},
        "baselines": baselines,
        "checks": checks,
        "results": results,
    }
    os.makedirs(args.results_dir, exist_ok=True)
    out = os.path.join(args.results_dir,
                       f"formats-{rows_label(args.rows)}-{started.strftime('%Y%m%dT%H%M%SZ')}.json")
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    log(f"[results] {os.path.relpath(out, REPO)}")

    print(markdown(doc))
    ok = checks["quipu_coefficients_agree"] and checks["peer_sums_agree"] and \
        checks["quipu_runs_ok"]
    return 0 if ok else 1


def check_agreement(results: list[dict]) -> dict:
    """Quipu's coefficients against the CSV's (1e-12 relative); peer column sums likewise."""
    out = {"coef_rtol": COEF_RTOL, "sum_rtol": SUM_RTOL, "quipu": {}, "peers": {}}
    ref = None
    ref_sums = None
    for r in results:
        ok = [x for x in r["runs"]["quipu"] if not x["error"]]
        if r["format"] == "csv" and ok:
            ref = ok[0]
        for peer in r["peers"]:
            pok = [x for x in r["runs"][peer] if not x["error"]]
            if r["format"] == "csv" and pok and ref_sums is None:
                ref_sums = (pok[0]["rows"], pok[0]["sums"])
    all_q = all_p = True
    runs_ok = True
    for r in results:
        qruns = r["runs"]["quipu"]
        if not qruns or any(x["error"] for x in qruns):
            runs_ok = False
        entry = {"coef": None, "max_rel_diff_coef": None, "max_rel_diff_se": None,
                 "nobs": None, "agree": None, "within_format_identical": None}
        ok = [x for x in qruns if not x["error"]]
        if ok:
            entry["coef"], entry["nobs"] = ok[0]["coef"], ok[0]["nobs"]
            entry["within_format_identical"] = all(x["coef"] == ok[0]["coef"] for x in ok)
            if ref is not None:
                dc = [rel_diff(ok[0]["coef"][t], ref["coef"][t]) for t in ref["coef"]]
                ds = [rel_diff(ok[0]["se"][t], ref["se"][t]) for t in ref["se"]
                      if ok[0]["se"].get(t) is not None and ref["se"][t] is not None]
                entry["max_rel_diff_coef"] = max(dc)
                entry["max_rel_diff_se"] = max(ds) if ds else None
                entry["agree"] = (max(dc) <= COEF_RTOL and ok[0]["nobs"] == ref["nobs"])
                all_q &= entry["agree"]
        out["quipu"][r["format"]] = entry
        for peer in r["peers"]:
            pok = [x for x in r["runs"][peer] if not x["error"]]
            pe = {"rows": None, "max_rel_diff_sum": None, "agree": None}
            if pok and ref_sums is not None:
                rows, sums = pok[0]["rows"], pok[0]["sums"]
                d = max(rel_diff(sums[c], ref_sums[1][c]) for c in COLUMNS)
                pe = {"rows": rows, "max_rel_diff_sum": d,
                      "agree": rows == ref_sums[0] and d <= SUM_RTOL}
                all_p &= pe["agree"]
            out["peers"][f"{r['format']} {peer}"] = pe
    out["quipu_coefficients_agree"] = bool(all_q and ref is not None)
    out["peer_sums_agree"] = bool(all_p)
    out["quipu_runs_ok"] = runs_ok
    return out


def markdown(doc: dict) -> str:
    la = doc["machine"]["loadavg_at_start"]
    lines = [
        f"### Read speed by format: {doc['rows']:,} rows, median of {doc['reps']} "
        f"(load average at start {la})",
        "",
        "| format | file size | Quipu read s | Quipu wall s | Quipu peak MiB | peer | peer read s "
        "| peer peak MiB | peer/Quipu read |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in doc["results"]:
        q = r["summary"]["quipu"]
        for i, peer in enumerate(r["peers"]):
            p = r["summary"][peer]
            qr, pr = q["read_seconds_median"], p["read_seconds_median"]
            if p["timed_out_after"] and pr is None:
                pread = f"> {p['timed_out_after']:.0f} (timeout)"
                ratio = f"> {p['timed_out_after'] / qr:.0f}" if qr else "n/a"
            else:
                pread = fmt(pr, ".3f")
                ratio = fmt(pr / qr if (pr is not None and qr) else None, ".1f")
            first = i == 0
            lines.append(
                f"| {r['label'] if first else ''} "
                f"| {fmt(mib(r['file']['bytes']), '.0f') + ' MiB' if first else ''} "
                f"| {fmt(qr, '.3f') if first else ''} "
                f"| {fmt(q['wall_seconds_median']) if first else ''} "
                f"| {fmt(q['peak_rss_mib_median'], '.0f') if first else ''} "
                f"| {peer} | {pread} | {fmt(p['peak_rss_mib_median'], '.0f')} | {ratio} |")
    lines += ["", "Files, conversion and whole-process wall:", "",
              "| format | bytes | written by | conversion s | Quipu fit s | peer | peer wall s |",
              "| --- | ---: | --- | ---: | ---: | --- | ---: |"]
    for r in doc["results"]:
        q = r["summary"]["quipu"]
        for i, peer in enumerate(r["peers"]):
            p = r["summary"][peer]
            first = i == 0
            lines.append(
                f"| {r['label'] if first else ''} "
                f"| {format(r['file']['bytes'], ',') if first else ''} "
                f"| {r['file']['writer'] if first else ''} "
                f"| {fmt(r['file']['conversion_seconds']) if first else ''} "
                f"| {fmt(q.get('fit_seconds_median')) if first else ''} "
                f"| {peer} | {fmt(p['wall_seconds_median'])} |")
    lines += ["", "Peak resident memory split (one extra sampled run per tool, MiB): anonymous "
              "(private) + file-backed (mapped page cache):", "",
              "| format | tool | peak anon MiB | peak file-backed MiB | peak RSS MiB |",
              "| --- | --- | ---: | ---: | ---: |"]
    for r in doc["results"]:
        for i, tool in enumerate(["quipu"] + r["peers"]):
            m = r["summary"][tool].get("memory_split") or {}
            lines.append(f"| {r['label'] if i == 0 else ''} | {tool} "
                         f"| {fmt(m.get('peak_rss_anon_mib'), '.0f')} "
                         f"| {fmt(m.get('peak_rss_file_mib'), '.0f')} "
                         f"| {fmt(m.get('peak_rss_mib'), '.0f')} |")
    lines += ["", "Baselines (no read): " + ", ".join(
        f"{k}: {fmt(v['wall_seconds'])} s, {fmt(v['peak_rss_kib'] and v['peak_rss_kib'] / 1024, '.0f')} MiB"
        for k, v in doc["baselines"].items())]
    c = doc["checks"]
    lines += ["", f"Quipu coefficients agree across formats (1e-12 relative vs CSV): "
              f"{c['quipu_coefficients_agree']}; "
              "max relative differences: " + ", ".join(
                  f"{k} {fmt(v['max_rel_diff_coef'], '.1e')}" for k, v in c["quipu"].items()),
              f"Peer column sums agree (1e-9): {c['peer_sums_agree']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
