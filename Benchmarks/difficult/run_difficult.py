#!/usr/bin/env python3
"""Side-by-side timing of quipu feols and pyfixest on fixest's 'difficult' worker-firm panel.

For each row count and fixed-effect set, the two tools run alternately (the order swapping every
repetition), end to end from the same CSV, each wrapped in `/usr/bin/time -f '%e %M'` (wall time,
peak resident set). Both cluster by indiv (CRV1). The coefficients and standard errors are compared
with the tightly converged R fixest values of issue 13 where they exist (10^6 rows), else with
whatever `--reference` gives. Results go to results/difficult-<UTC time>.json and a Markdown table.

Usage: python3 Benchmarks/difficult/run_difficult.py [--rows 1e6] [--reps 3] [--fe 2 --fe 3]
           [--skip-pyfixest] [--pyfixest-timeout 900] [--quipu .build/release/quipu]
"""
import argparse, json, os, platform, statistics, subprocess, sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from bench_data import run_timed  # noqa: E402
FORMULAS = {2: "y ~ x1 + x2 | indiv + firm", 3: "y ~ x1 + x2 | indiv + firm + year"}
# Issue 13: R fixest 0.12.2, fixef.tol = 1e-11, clustered by indiv, on the 10^6-row file.
ISSUE_REFERENCE = {
    ("1e6", 2): {"coef": {"x1": 1.00145763385893, "x2": 0.50069540001021}, "se": {"x1": 0.00137783863186, "x2": 0.00096968402737}},
    ("1e6", 3): {"coef": {"x1": 1.00001130167771, "x2": 0.50053106050177}, "se": {"x1": 0.00103328430562, "x2": 0.00072820590878}},
}


def timed(command, timeout):
    load = os.getloadavg()[0]
    run = run_timed(command, timeout)
    if run["timed_out"]:
        return {"ok": False, "error": f"timeout after {timeout} s", "load": load}
    return {"ok": run["returncode"] == 0, "wall": run["wall_seconds"], "peak_kib": run["peak_rss_kib"], "load": load,
            "stdout": run["stdout"], "stderr": run["stderr"][-2000:]}


def run_quipu(binary, data, fe, timeout, extra=()):
    run = timed([binary, "feols", "--data", data, "--formula", FORMULAS[fe], "--vcov", "cluster:indiv",
                 "--format", "json", "--timings", *extra], timeout)
    if run["ok"]:
        out = json.loads(run["stdout"])
        run["coef"] = {c["term"]: c["estimate"] for c in out["coefficients"]}
        run["se"] = {c["term"]: c["std_error"] for c in out["coefficients"]}
        run["redundant"] = out.get("fixed_effects_redundant")
        timings = json.loads(run["stderr"].strip().splitlines()[-1])["timings"]
        run["fit_seconds"] = timings["fit_seconds"]
        run["sweeps"] = timings.get("absorption_sweeps")
    run.pop("stdout", None)
    return run


def run_pyfixest(data, fe, timeout):
    run = timed([sys.executable, os.path.join(ROOT, "Benchmarks", "pyfixest_feols.py"), "--data", data,
                 "--formula", FORMULAS[fe], "--cluster", "indiv"], timeout)
    if run["ok"]:
        out = json.loads(run["stdout"].strip().splitlines()[-1])
        run["coef"], run["se"], run["fit_seconds"] = out["coef"], out["se"], out["fit_seconds"]
    run.pop("stdout", None)
    return run


def worst(values, reference):
    return max(abs(values[k] - reference[k]) / abs(reference[k]) for k in reference)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", action="append"); ap.add_argument("--fe", action="append", type=int)
    ap.add_argument("--reps", type=int, default=3); ap.add_argument("--skip-pyfixest", action="store_true")
    ap.add_argument("--pyfixest-timeout", type=float, default=900); ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--quipu", default=os.path.join(ROOT, ".build", "release", "quipu"))
    ap.add_argument("--reference", help="JSON {rows: {fe: {coef: {...}, se: {...}}}} for other row counts")
    ap.add_argument("--format", choices=["csv", "arrow"], default="csv",
                    help="data file format (arrow: difficult_<rows>.arrow, written by generate_difficult.py)")
    ap.add_argument("--tight-reference", action="store_true",
                    help="where no reference is known, first run Quipu once at --fixef-tol 1e-12 and compare with that")
    args = ap.parse_args()
    extra = json.load(open(args.reference)) if args.reference else {}
    summaries, runs = [], []
    for rows in args.rows or ["1e6"]:
        data = os.path.join(ROOT, "Benchmarks", "data", f"difficult_{rows}.{args.format}")
        if not os.path.exists(data):
            subprocess.run([sys.executable, os.path.join(HERE, "generate_difficult.py"), rows, data], check=True)
        for fe in args.fe or [2, 3]:
            with open(data, "rb") as handle:  # into the page cache
                while handle.read(1 << 24):
                    pass
            reference = ISSUE_REFERENCE.get((rows, fe)) or extra.get(rows, {}).get(str(fe))
            if reference is None and args.tight_reference:
                tight = run_quipu(args.quipu, data, fe, args.timeout, ("--fixef-tol", "1e-12"))
                tight.update(tool="quipu-tight", rows=rows, fe=fe, rep=-1)
                runs.append(tight)
                print(f"{rows} {fe}FE quipu --fixef-tol 1e-12 (reference): " + (f"{tight['wall']:.2f} s" if tight["ok"] else tight.get("error", "failed")), flush=True)
                if tight["ok"]:
                    reference = {"coef": tight["coef"], "se": tight["se"], "source": "quipu --fixef-tol 1e-12"}
            tools = ["quipu"] + ([] if args.skip_pyfixest else ["pyfixest"])
            measured = {tool: [] for tool in tools}
            for rep in range(args.reps):
                for tool in (tools if rep % 2 == 0 else tools[::-1]):
                    run = run_quipu(args.quipu, data, fe, args.timeout) if tool == "quipu" else run_pyfixest(data, fe, args.pyfixest_timeout)
                    run.update(tool=tool, rows=rows, fe=fe, rep=rep)
                    runs.append(run); measured[tool].append(run)
                    print(f"{rows} {fe}FE {tool} rep {rep}: " + (f"{run['wall']:.2f} s, {run['peak_kib'] / 1024:.0f} MiB" if run["ok"] else run.get("error", run.get("stderr", "failed")[-300:])), flush=True)
                    if not run["ok"] and tool == "pyfixest":
                        tools = ["quipu"]  # a timed-out peer is not run again
            summary = {"rows": rows, "fe": fe, "formula": FORMULAS[fe]}
            for tool, tool_runs in measured.items():
                good = [r for r in tool_runs if r["ok"]]
                if not good:
                    summary[tool] = {"ok": False, "error": tool_runs[0].get("error") if tool_runs else "not run"}
                    continue
                entry = {"ok": True, "runs": len(good), "median_wall": statistics.median(r["wall"] for r in good),
                         "median_fit": statistics.median(r["fit_seconds"] for r in good),
                         "median_peak_mib": statistics.median(r["peak_kib"] for r in good) / 1024,
                         "coef": good[0]["coef"], "se": good[0]["se"]}
                if tool == "quipu":
                    entry["sweeps"], entry["redundant"] = good[0]["sweeps"], good[0]["redundant"]
                if reference:
                    entry["coef_rel_error"] = worst(good[0]["coef"], reference["coef"])
                    entry["se_rel_error"] = worst(good[0]["se"], reference["se"])
                summary[tool] = entry
            if summary.get("pyfixest", {}).get("ok") and summary["quipu"].get("ok"):
                summary["quipu_over_pyfixest"] = summary["quipu"]["median_wall"] / summary["pyfixest"]["median_wall"]
            summaries.append(summary)
    print("\n| rows | FE | Quipu s | pyfixest s | Quipu / pyfixest | Quipu peak MiB | pyfixest peak MiB | Quipu sweeps + CG steps | Quipu coef / SE rel. error | pyfixest coef / SE rel. error |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
    for s in summaries:
        q, p = s["quipu"], s.get("pyfixest", {"ok": False})
        fmt = lambda e: f"{e['coef_rel_error']:.1e} / {e['se_rel_error']:.1e}" if e.get("ok") and "coef_rel_error" in e else "n/a"
        print(f"| {s['rows']} | {s['fe']} | {q['median_wall']:.2f} | " + (f"{p['median_wall']:.2f}" if p.get("ok") else "n/a")
              + f" | " + (f"{s['quipu_over_pyfixest']:.3f}" if "quipu_over_pyfixest" in s else "n/a")
              + f" | {q['median_peak_mib']:.0f} | " + (f"{p['median_peak_mib']:.0f}" if p.get("ok") else "n/a")
              + f" | {q['sweeps']} | {fmt(q)} | {fmt(p)} |")
    versions = {}
    for package in ["pyfixest", "pandas", "numpy"]:
        try:
            versions[package] = __import__(package).__version__
        except Exception:
            pass
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    record = {"created": datetime.now(timezone.utc).isoformat(), "commit": commit, "nproc": os.cpu_count(),
              "python": platform.python_version(), "versions": versions, "summaries": summaries, "runs": runs}
    name = os.path.join(HERE, "results", "difficult-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".json")
    json.dump(record, open(name, "w"), indent=1)
    print("\nwrote", os.path.relpath(name, ROOT))


if __name__ == "__main__":
    main()
