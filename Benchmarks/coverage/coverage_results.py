"""The coverage study's results: the summary rows per study cell, the runtime and its profile, and
the three files a run writes (JSON with everything, CSV of the summary, every estimate gzipped).

Goals, in order:
1. Files that depend on their content only (sorted rows, a gzip without a time stamp), so that a
   rerun of the same binary on the same seeds writes the same estimates.
2. A runtime that says what the run would take on idle cores (CPU seconds of the quipu processes,
   which the machine's load does not change much) beside the wall time it took, and where the CPU
   time goes (programme × scale), so the time budget can be spent where a cell tells something.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

from coverage_stats import summarize

SUMMARY_FIELDS = ("design", "programme", "outcome", "scale", "estimator", "aggregate", "weights",
                  "n_panels", "n_failed", "mean_truth", "mean_estimate", "bias", "bias_mcse", "rmse",
                  "sd_estimate", "sd_error", "mean_se", "se_ratio", "coverage", "coverage_mcse",
                  "rejection", "rejection_mcse")
ESTIMATE_FIELDS = ("design", "seed", "programme", "outcome", "scale", "estimator", "estimate", "std_error",
                   "conf_low", "conf_high", "p_value", "truth", "n_treated", "error")


def summary_rows(records: list[dict], study: dict) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        key = (r["design"], r["programme"], r["outcome"], r["scale"], r["estimator"])
        groups.setdefault(key, []).append(r)
    design_order = list(study["designs"])
    programme_order = sorted({r["programme"] for r in records} | set(study.get("programmes", {})),
                             key=lambda p: (list(study.get("programmes", {})).index(p) if p in study.get("programmes", {}) else 99, p))
    scale_order = list(study["scales"])
    estimator_order = list(study["estimators"])
    outcome_order = study["outcomes"]
    rows = []
    for key in sorted(groups, key=lambda k: (design_order.index(k[0]), scale_order.index(k[3]), programme_order.index(k[1]),
                                             outcome_order.index(k[2]), estimator_order.index(k[4]))):
        design, programme, outcome, scale, estimator = key
        spec = study["estimators"][estimator]
        rows.append({"design": design, "programme": programme, "outcome": outcome, "scale": scale, "estimator": estimator,
                     "aggregate": spec["aggregate"], "weights": spec["weights"], **summarize(groups[key])})
    return rows


def runtime_summary(timings: list[dict], elapsed: float, jobs: int, runner_cpu: float) -> dict:
    """Wall and CPU time of the run, per panel and per design, the CPU split by programme × scale
    (mean seconds per panel of the design), and the projection to 200 + 200 panels on 2 idle cores."""
    n = len(timings)
    if not n:
        return {"wall_seconds": round(elapsed, 1), "panels": 0}
    cpu = sum(t["simulate_cpu"] + t["did_cpu"] for t in timings)
    per_design = {}
    for design in dict.fromkeys(t["design"] for t in timings):
        mine = [t for t in timings if t["design"] == design]
        where: dict[str, float] = {}
        for t in mine:
            for key, seconds in t["cpu_by"].items():
                where[key] = where.get(key, 0.0) + seconds
        per_design[design] = {
            "panels": len(mine),
            "did_calls_per_panel": mine[0]["did_calls"],
            "cpu_seconds_per_panel": round(sum(t["simulate_cpu"] + t["did_cpu"] for t in mine) / len(mine), 3),
            "simulate_cpu_seconds_per_panel": round(sum(t["simulate_cpu"] for t in mine) / len(mine), 3),
            "cpu_seconds_per_panel_by_programme_scale": {k: round(v / len(mine), 3) for k, v in sorted(where.items(), key=lambda kv: -kv[1])},
        }
    per_seed = sum(d["cpu_seconds_per_panel"] for d in per_design.values())
    runner_per_panel = runner_cpu / n
    return {
        "wall_seconds": round(elapsed, 1), "panels": n, "jobs": jobs,
        "seconds_per_panel_per_job": round(elapsed * jobs / n, 2),
        "cpu_seconds": round(cpu, 1), "cpu_seconds_per_panel": round(cpu / n, 3),
        "runner_cpu_seconds": round(runner_cpu, 1), "runner_cpu_seconds_per_panel": round(runner_per_panel, 3),
        "by_design": per_design,
        # One seed of every design run: its quipu CPU plus the runner's share, over 2 cores.
        "projected_minutes_200_seeds_2_idle_cores": round((per_seed + runner_per_panel * len(per_design)) * 200 / 2 / 60, 1),
        "projected_minutes_200_seeds_at_this_load": round(elapsed / n * len(per_design) * 200 / 60, 1),
        "note": "wall time depends on the load of the machine (machine.loadavg_at_start/at_end); the CPU time of the quipu "
                "processes (each measured by os.wait4) and of the runner much less, so their sum / 2 is the wall time on 2 idle cores",
    }


def write_outputs(results_dir: Path, stamp: str, label: str, meta: dict, rows: list[dict], records: list[dict]) -> list[Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    base = f"{label}-{stamp}"
    json_path, csv_path, raw_path = (results_dir / f"coverage-{base}.json", results_dir / f"coverage-{base}.csv",
                                     results_dir / f"estimates-{base}.csv.gz")
    json_path.write_text(json.dumps({**meta, "summary": rows}, indent=1) + "\n")
    with csv_path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SUMMARY_FIELDS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if r[k] is None else (f"{r[k]:.6g}" if isinstance(r[k], float) else r[k])) for k in SUMMARY_FIELDS})
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=ESTIMATE_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in sorted(records, key=lambda r: (r["design"], r["seed"], r["programme"], r["scale"], r["outcome"], r["estimator"])):
        writer.writerow({k: ("" if r.get(k) is None else (format(r[k], ".9g") if isinstance(r[k], float) else r[k])) for k in ESTIMATE_FIELDS})
    # mtime=0: the archive's bytes depend on its content only.
    with gzip.GzipFile(raw_path, "wb", mtime=0) as fh:
        fh.write(text.getvalue().encode())
    return [json_path, csv_path, raw_path]
