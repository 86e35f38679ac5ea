#!/usr/bin/env python3
"""Differential test: `quipu feols` / `quipu did` against pyfixest 0.60 and a dense reference.

    python3 Tests/Differential/differential.py --specs 500 --seeds 1,2
    python3 Tests/Differential/differential.py --write-fixtures Tests/Fixtures/differential

Each seeded random specification is run through `quipu` (a subprocess per specification, in a
small thread pool), pyfixest (in this process) and the dense reference of reference.py (fixest
0.13's rules). Every disagreement is classified as `quipu-defect`, `convention` (a documented,
named difference) or `peer-defect` (quipu agrees with the reference, pyfixest does not). The exit
status is 1 when any quipu-defect is found. See README.md beside this file.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version

# pyfixest's results can move in the last bits with Python's string-hash seed: pin it.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import compare as C  # noqa: E402
import dgp  # noqa: E402
import did_diff  # noqa: E402
import rfixest  # noqa: E402
import specs as S  # noqa: E402

# Shares of the random specifications by data set (the rest of the specs are `did`).
DATA_SHARES = [("pyfixest", 0.33), ("panel", 0.25), ("collinear", 0.25), ("tiny", 0.17)]
DID_SHARE = 0.08


def build_datasets(scratch: str, seed: int, firms: int, with_pyfixest: bool) -> dict:
    schemas = {}
    if with_pyfixest:
        s = dgp.pyfixest_data(scratch); schemas[s.name] = s
    for s in (dgp.unbalanced_panel(scratch, seed, firms), dgp.near_collinear(scratch, seed),
              dgp.tiny(scratch, seed), dgp.staggered_panel(scratch, seed), dgp.all_singletons(scratch)):
        schemas[s.name] = s
    return schemas


def did_datasets(schemas: dict, seed: int) -> list[dict]:
    stag = schemas[f"staggered_{seed}"]
    panel = schemas[f"panel_{seed}"]
    return [
        dict(did_diff.MPDTA, path=os.path.join(REPO, did_diff.MPDTA["path"])),
        {"name": stag.name, "path": stag.path, "y": "y", "unit": "unit", "time": "time", "cohort": "cohort",
         "cluster2": "grp", "weights": "w"},
        {"name": panel.name, "path": panel.path, "y": "y", "unit": "firm", "time": "year", "cohort": "cohort",
         "cluster2": "region", "weights": "w"},
    ]


def generate(seed: int, count: int, schemas: dict, frames: dict) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    names = [n for n, _ in DATA_SHARES]
    probs = np.array([p for _, p in DATA_SHARES]); probs /= probs.sum()
    dids = did_datasets(schemas, seed)
    for k in range(count):
        ident = f"s{seed}-{k:04d}"
        if rng.random() < DID_SHARE:
            out.append(did_diff.random_did(rng, dids[int(rng.integers(len(dids)))], ident))
            continue
        kind = str(rng.choice(names, p=probs))
        name = "pyfixest" if kind == "pyfixest" else f"{kind}_{seed}"
        out.append(S.random_spec(rng, schemas[name], frames[name], ident))
    return out


def run(args) -> int:
    started = time.time()
    os.makedirs(args.scratch, exist_ok=True)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    schemas, all_specs = {}, []
    per_seed = [args.specs // len(seeds) + (1 if i < args.specs % len(seeds) else 0) for i in range(len(seeds))]
    frames: dict = {}
    for i, seed in enumerate(seeds):
        sch = build_datasets(args.scratch, seed, args.firms, with_pyfixest=(i == 0))
        schemas.update(sch)
        for n, s in sch.items():
            frames[n] = dgp.read(s.path)
        if i == 0:
            all_specs += S.fixed_edge_specs(sch)
        all_specs += generate(seed, per_seed[i], schemas, frames)
    frames["mpdta"] = dgp.read(os.path.join(REPO, did_diff.MPDTA["path"]))
    paths = {n: s.path for n, s in schemas.items()}
    paths["mpdta"] = os.path.join(REPO, did_diff.MPDTA["path"])

    def quipu_args(spec):
        if spec.get("kind") == "did":
            return did_diff.quipu_args(spec, paths[spec["data"]])
        return C.quipu_feols_args(spec, paths[spec["data"]])

    fixest_version, fixest_skipped = (None, "--no-fixest") if args.no_fixest else rfixest.detect()
    r_pool = ThreadPoolExecutor(max_workers=1)
    fixest_future = None
    if fixest_version:
        jobs = []
        for s in all_specs:
            if s.get("kind") == "did":
                jobs += did_diff.fixest_jobs(s, frames[s["data"]], args.scratch)
            else:
                jobs.append(rfixest.job(s, paths[s["data"]]))
        print(f"differential: R fixest {fixest_version}: {len(jobs)} regressions in batches of {args.fixest_batch}",
              flush=True)
        fixest_future = r_pool.submit(rfixest.run_batches, jobs, args.scratch, args.fixest_batch)
    else:
        print(f"differential: R fixest skipped ({fixest_skipped})", flush=True)
    records = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(C.run_quipu, args.quipu, quipu_args(s)) for s in all_specs]
        for spec, fut in zip(all_specs, futures):
            df = frames[spec["data"]]
            if spec.get("kind") == "did":
                recs = did_diff.judge_did(spec, fut.result(), df)
                for r in recs:
                    r["command"] = "quipu " + " ".join(_quote(a) for a in did_diff.quipu_args(spec, paths[spec["data"]]))
                records += recs
                spec["_records"] = recs
                continue
            r = C.reference_result(spec, df)
            empty = "error" in r and "no observations" in r["error"]
            p = (C.run_pyfixest_isolated if empty else C.run_pyfixest)(spec, df)
            q = C.quipu_feols_result(fut.result())
            rec = C.judge(spec, q, p, r)
            rec["command"] = "quipu " + " ".join(_quote(a) for a in quipu_args(spec))
            records.append(rec)
            spec["_result"] = (q, p, r, rec)
            if args.verbose and rec["class"] != "agree":
                print(f"  {rec['id']}: {rec['class']} {rec.get('name')}", flush=True)
    if fixest_future is not None:
        fixest_results = fixest_future.result()
        for spec in all_specs:
            if spec.get("kind") == "did":
                for rec in spec["_records"]:
                    rfixest.judge(rec["_spec"], rec["_quipu"], fixest_results[rec["id"]], rec["_reference"], rec)
            else:
                q, _, r, rec = spec["_result"]
                rfixest.judge(spec, q, fixest_results[spec["id"]], r, rec)
    r_pool.shutdown()
    elapsed = time.time() - started
    summary = summarize(records, elapsed, len(all_specs))
    vers = versions(args.quipu)
    vers["fixest"] = fixest_version or f"skipped ({fixest_skipped})"
    report = {"versions": vers, "seeds": seeds, "specifications": len(all_specs),
              "comparisons": len(records), "seconds": round(elapsed, 1), "summary": summary,
              "disagreements": [{k: v for k, v in r.items() if not k.startswith("_")}
                                for r in records if r["class"] != "agree" or r.get("fixest_class", "agree") != "agree"]}
    with open(args.report, "w") as fh:
        json.dump(C.jsonable(report), fh, indent=1)
    print_summary(report)
    if args.write_fixtures:
        import fixtures
        fixtures.write(args.write_fixtures, all_specs, schemas, paths, args.fixture_count, versions(args.quipu))
    failed = summary["classes"].get(C.QUIPU_DEFECT, 0) + summary["classes"].get(rfixest.REFERENCE_DEFECT, 0)
    return 1 if failed else 0


def _quote(a: str) -> str:
    return a if all(c.isalnum() or c in "-_./:=,+" for c in a) else "'" + a.replace("'", "'\\''") + "'"


def summarize(records: list[dict], elapsed: float, specs: int) -> dict:
    classes = collections.Counter(r["class"] for r in records)
    names = collections.Counter(f"{r['class']}: {r['name']}" for r in records if r["class"] != "agree")
    did = sum(1 for r in records if "/" in r["id"])
    judged = [r for r in records if "fixest_class" in r]
    fixest = {"classes": dict(collections.Counter(r["fixest_class"] for r in judged)),
              "names": dict(collections.Counter(f"{r['fixest_class']}: {r['fixest_name']}" for r in judged
                                                if r["fixest_class"] != "agree").most_common())} if judged else None
    return {"classes": dict(classes), "names": dict(names.most_common()), "fixest": fixest,
            "comparisons": {"feols": len(records) - did, "did": did}}


def print_summary(report: dict) -> None:
    kinds = report["summary"]["comparisons"]
    print(f"differential: {report['specifications']} specifications ({kinds['feols']} feols and {kinds['did']} did "
          f"comparisons), "
          f"seeds {report['seeds']}, {report['seconds']} s")
    for r in report["disagreements"]:
        verdict = f"[{r['class']}] {r.get('name')}" if r["class"] != "agree" else "[quipu and pyfixest agree]"
        if r.get("fixest_class", "agree") != "agree":
            verdict += f" / fixest [{r['fixest_class']}] {r['fixest_name']}"
        print(f"  {verdict}: {r['id']} {r['data']} :: {r['formula']} vcov={r['vcov']}"
              + (f" weights={r['weights']}" if r.get("weights") else ""))
    print("classes (quipu and pyfixest against the reference): "
          + ", ".join(f"{k} {v}" for k, v in sorted(report["summary"]["classes"].items())))
    for k, v in report["summary"]["names"].items():
        print(f"  {v:4d}  {k}")
    fx = report["summary"].get("fixest")
    if fx is None:
        print(f"R fixest: {report['versions']['fixest']}")
    else:
        print(f"R fixest {report['versions']['fixest']} against the reference: "
              + ", ".join(f"{k} {v}" for k, v in sorted(fx["classes"].items())))
        for k, v in fx["names"].items():
            print(f"  {v:4d}  {k}")


def versions(quipu: str) -> dict:
    import subprocess
    try:
        qv = subprocess.run([quipu, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        qv = "unknown"
    out = {"python": platform.python_version(), "quipu": qv}
    for pkg in ("pyfixest", "numpy", "pandas", "scipy"):
        out[pkg] = version(pkg)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specs", type=int, default=500, help="random specifications in all, split over the seeds")
    ap.add_argument("--seeds", default="1,2", help="comma-separated seeds")
    ap.add_argument("--quipu", default=os.environ.get("QUIPU", os.path.join(REPO, ".build/debug/quipu")))
    ap.add_argument("--scratch", default=os.path.join(REPO, ".build", "differential"))
    ap.add_argument("--report", default=None, help="JSON report (default: SCRATCH/report.json)")
    ap.add_argument("--jobs", type=int, default=2, help="quipu processes at once")
    ap.add_argument("--firms", type=int, default=2000, help="firms in the generated unbalanced panel")
    ap.add_argument("--write-fixtures", default=None, help="write a fixed sample as fixtures to this folder")
    ap.add_argument("--fixture-count", type=int, default=40)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--no-fixest", action="store_true", help="skip R fixest even where it is installed")
    ap.add_argument("--fixest-batch", type=int, default=200, help="specifications per Rscript process")
    args = ap.parse_args()
    if not os.access(args.quipu, os.X_OK):
        print(f"differential: {args.quipu} is not an executable quipu binary (swift build first)", file=sys.stderr)
        return 2
    args.report = args.report or os.path.join(args.scratch, "report.json")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
