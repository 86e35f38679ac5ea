"""One panel of the coverage study: simulate it, run every planned `did` call on it, and hold each
estimator's overall aggregate against the truth of that aggregate (coverage_stats.truth_for).

Goals, in order:
1. Each estimate is read from the JSON the CLI writes (never recomputed here) and compared with
   the truth of the quantity its own aggregate targets, from the estimator's own sample.
2. A failed call is a record with its reason (exit status and the CLI's first error line), never
   a crash of the study: the summary counts it in `n_failed`.
3. Every call's CPU time is kept by programme × scale (the study's profile).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from coverage_calls import did_command, first_line, reported_estimators, run_measured, runs_on, scale_estimators
from coverage_stats import TruthError, truth_for


def estimator_rows(result: dict, name: str, aggregate: str, match: dict | None = None) -> tuple[list[dict], list[dict], dict[int, int]]:
    """An estimator's overall aggregates of the given type (those whose fields equal `match`'s,
    for an estimator that reports one aggregate on two scales), its post-treatment cells and its
    units per cohort."""
    overall = [a for a in result.get("aggregates", [])
               if a.get("estimator") == name and a.get("type") == aggregate and a.get("overall")
               and all(a.get(k) == v for k, v in (match or {}).items())]
    cells = []
    for row in result.get("att_gt", []) + result.get("cohort_period", []):
        if row.get("estimator") != name or row.get("estimate") is None:
            continue
        group = row["group"]
        period = row.get("time", group + row["event_time"] if row.get("event_time") is not None else None)
        if period is not None and period >= group:
            cells.append({"group": group, "time": period, "n_treated": row["n_treated"]})
    sizes = {}
    for sample in result.get("sample", []):
        if sample.get("estimator") == name:
            sizes = {c["cohort"]: c["units"] for c in sample.get("units_per_cohort", []) if isinstance(c["cohort"], int)}
    return overall, cells, sizes


def estimate_record(base: dict, result: dict, name: str, study: dict, scale: dict, truth: dict) -> dict:
    """One estimator's overall aggregate from a did JSON, with the truth of that aggregate."""
    spec = study["estimators"][name]
    match = spec.get("match", {}).get(base["scale"])
    candidates, cells, sizes = estimator_rows(result, name, spec["aggregate"], match)
    record = {**base, "estimator": name}
    if len(candidates) != 1:
        # Never guess between two overall aggregates (e.g. a level and a proportional one).
        return {**record, "error": f"{len(candidates)} overall '{spec['aggregate']}' aggregates in the output"
                + (f" matching {match}" if match else "") + "; give the estimator a `match` for this scale in study.json"}
    overall = candidates[0]
    for key in ("estimate", "std_error", "conf_low", "conf_high", "p_value", "n_treated"):
        record[key] = overall.get(key)
    try:
        # A specification variant is held against its programme's truth (study.json `truth`).
        truth_programme = study.get("programmes", {}).get(base["programme"], {}).get("truth", base["programme"])
        record["truth"] = truth_for(truth, truth_programme, base["outcome"], scale, spec["weights"],
                                    estimator_cells=cells, units_per_cohort=sizes)
    except TruthError as error:
        record["error"] = f"truth: {error}"
    return record


def run_panel(quipu: Path, study: dict, plan: dict, design: str, seed: int, simulate_args: list[str],
              programmes: list[str], scales: list[str], estimators: list[str], workdir: Path) -> dict:
    """Simulates one panel, runs every did call on it, returns the estimates and timings."""
    records, failures, unmapped = [], [], set()
    timing = {"simulate": 0.0, "simulate_cpu": 0.0, "did": 0.0, "did_cpu": 0.0, "did_calls": 0, "cpu_by": {}}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        panel, truth_path = os.path.join(tmp, "panel.csv"), os.path.join(tmp, "truth.json")
        sim = run_measured([str(quipu), "simulate", "peru", "--seed", str(seed), *simulate_args,
                            "--output", panel, "--truth", truth_path])
        timing["simulate"], timing["simulate_cpu"] = sim.wall, sim.cpu
        if sim.returncode != 0:
            raise RuntimeError(f"simulate --seed {seed} {' '.join(simulate_args)} failed: {first_line(sim.stderr)}")
        truth = json.loads(Path(truth_path).read_text())
        for programme in programmes:
            for scale_name in scales:
                if not runs_on(study, design, programme, scale_name):
                    continue
                scale = study["scales"][scale_name]
                for outcome in scale["outcomes"]:
                    base = {"design": design, "seed": seed, "programme": programme, "outcome": outcome, "scale": scale_name}
                    invocations = plan[scale_name]["invocations"]
                    for invocation in invocations:
                        # "all" contributes the scale's estimators not also called on their own.
                        wanted = ([e for e in scale_estimators(scale, estimators) if e not in invocations]
                                  if invocation == "all" else [invocation])
                        run = run_measured(did_command(quipu, panel, study, programme, scale, outcome, invocation))
                        timing["did"] += run.wall
                        timing["did_cpu"] += run.cpu
                        timing["did_calls"] += 1
                        where = f"{programme}/{scale_name}"
                        timing["cpu_by"][where] = timing["cpu_by"].get(where, 0.0) + run.cpu
                        if run.returncode != 0:
                            message = f"did exit {run.returncode}: {first_line(run.stderr)}"
                            failures.append({**base, "estimator": invocation, "error": message})
                            records += [{**base, "estimator": e, "error": message} for e in wanted]
                            continue
                        result = json.loads(run.stdout)
                        reported = reported_estimators(result)
                        unmapped.update(f"{name} ({scale_name})" for name in reported if name not in study["estimators"])
                        for name in wanted:
                            if invocation == "all" and name not in reported:
                                continue  # the CLI does not offer this estimator (yet): not a failure
                            records.append(estimate_record(base, result, name, study, scale, truth))
    return {"records": records, "failures": failures, "timing": timing, "unmapped": unmapped}
