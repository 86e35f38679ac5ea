#!/usr/bin/env python3
"""Monte Carlo coverage study of `quipu did` on simulated Peru panels (issue 21, point 4).

Normally started through `Benchmarks/coverage/run.sh` (or `make coverage`), which builds the
release binary first. For each design of study.json (`default`; `null` = `--effect-scale 0`,
run only when `quipu simulate peru --help` offers the option) and seeds FIRST..FIRST+N-1:

  1. `quipu simulate peru --seed S [design args] --output panel.csv --truth truth.json`;
  2. for each programme × scale × outcome of study.json, one `quipu did --estimator all
     --format json --threads 1` (or, where the CLI refuses `all` on that scale, one call per
     estimator it accepts: found once, before the study, on the shipped Peru panel);
  3. each estimator's overall aggregate against the truth of that aggregate (coverage_stats.py:
     the same cell weights as the estimator).

Panels run in --jobs parallel workers (each a serial chain of processes, OpenBLAS and Quipu held
to one thread), so 2 jobs use the 2 cores. Writes, under --results-dir:
  coverage-<label>-<UTC stamp>.json   command, commit, machine, timings, plan, summary rows
  coverage-<label>-<UTC stamp>.csv    the summary rows
  estimates-<label>-<UTC stamp>.csv.gz  every estimate with its truth (to recompute anything)
and prints the summary as Markdown. Exit status 1 if any did run failed, else 0.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from coverage_stats import TruthError, summarize, truth_for  # noqa: E402
from coverage_tables import compact_markdown, exceptions_markdown, markdown  # noqa: E402
from run_feols import git_facts, loadavg, machine_facts, quipu_version  # noqa: E402  (Benchmarks/run_feols.py)

DEFAULT_QUIPU = REPO / ".build" / "release" / "quipu"
PERU = REPO / "Datasets" / "peru-natural-ingredients" / "peru.csv"
EXIT_USAGE = 64  # the CLI's exit status for an option it refuses (README: "exit 64")
SUMMARY_FIELDS = ("design", "programme", "outcome", "scale", "estimator", "aggregate", "weights",
                  "n_panels", "n_failed", "mean_truth", "mean_estimate", "bias", "bias_mcse", "rmse",
                  "sd_estimate", "sd_error", "mean_se", "se_ratio", "coverage", "coverage_mcse",
                  "rejection", "rejection_mcse")
ESTIMATE_FIELDS = ("design", "seed", "programme", "outcome", "scale", "estimator", "estimate", "std_error",
                   "conf_low", "conf_high", "p_value", "truth", "n_treated", "error")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def thread_env() -> dict:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        env[name] = "1"
    return env


def child_cpu_seconds() -> float:
    """User + system CPU time of the finished child processes (the quipu runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def runner_cpu_seconds() -> float:
    """CPU time of this Python process (its threads read and summarise the JSON)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def simulate_options(quipu: Path) -> set[str]:
    """The long options `quipu simulate peru` offers (its --help), so that options other branches
    add (--effect-scale, --cbi-firms, --pum-firms) are used exactly when the binary has them."""
    help_text = subprocess.run([str(quipu), "simulate", "peru", "--help"], capture_output=True, text=True).stdout
    return {word.rstrip(",.:") for word in help_text.split() if word.startswith("--")}


def did_command(quipu: Path, data: str, study: dict, programme: str, scale: dict, outcome: str, estimator: str) -> list[str]:
    panel, spec = study["panel"], study["programmes"][programme]
    # A specification variant restricts the sample (e.g. CBI among firms without PUM).
    subset = ["--subset", spec["subset"]] if spec.get("subset") else []
    return [str(quipu), "did", "--data", data, "--unit", panel["unit"], "--time", panel["time"],
            "--cohort", spec["cohort"], "--outcome", scale["outcome"].format(outcome=outcome), *subset,
            "--estimator", estimator, *scale["did_args"], "--format", "json", "--threads", "1"]


def scale_estimators(scale: dict, estimators: list[str]) -> list[str]:
    """The estimators of the run that the scale lists (all of them when it lists none)."""
    listed = scale.get("estimators")
    return [e for e in estimators if listed is None or e in listed]


def runs_on(study: dict, design: str, programme: str, scale: str) -> bool:
    """Whether the design, the programme and the scale of study.json each admit the others (their
    optional `programmes` and `scales` lists), to spend the time budget where it tells something."""
    d, p, s = study["designs"].get(design, {}), study["programmes"][programme], study["scales"][scale]
    return (programme in d.get("programmes", [programme]) and scale in d.get("scales", [scale])
            and scale in p.get("scales", [scale]) and programme in s.get("programmes", [programme]))


def reported_estimators(result: dict) -> list[str]:
    return result.get("estimators") or [e.get("estimator") for e in result.get("estimates", [])]


def first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def plan_invocations(quipu: Path, study: dict, scales: list[str], estimators: list[str]) -> dict:
    """Per scale, the `--estimator` values to run: "all" when the CLI takes it on that scale, and
    on its own each estimator of the scale that "all" does not run (or every one, when the CLI
    refuses "all") and the CLI accepts. Probed on the shipped panel (the study's first programme,
    the scale's first outcome); an option refused with exit 64 is not offered, any other exit is
    accepted."""
    plan = {}
    data = str(PERU)
    programme = next(iter(study["programmes"]))
    for name in scales:
        scale = study["scales"][name]
        wanted = scale_estimators(scale, estimators)
        if not wanted:
            plan[name] = {"invocations": [], "refused": {}}
            continue
        outcome = scale["outcomes"][0]
        probe = subprocess.run(did_command(quipu, data, study, programme, scale, outcome, "all"),
                               capture_output=True, text=True, env=thread_env())
        accepted, refused, entry = [], {}, {}
        if probe.returncode != EXIT_USAGE:
            try:
                by_all = reported_estimators(json.loads(probe.stdout)) if probe.returncode == 0 else list(wanted)
            except json.JSONDecodeError:
                by_all = list(wanted)  # not readable here: let the study's calls report it
            separately = [e for e in wanted if e not in by_all]
            if len(separately) == len(wanted):
                # "all" runs none of this scale's estimators: call each on its own.
                entry["all_runs_none"] = by_all
            else:
                accepted.append("all")
        else:
            separately = wanted
            entry["all_refused"] = first_line(probe.stderr)
        for estimator in separately:
            run = subprocess.run(did_command(quipu, data, study, programme, scale, outcome, estimator),
                                 capture_output=True, text=True, env=thread_env())
            if run.returncode == EXIT_USAGE:
                refused[estimator] = first_line(run.stderr)
            else:
                accepted.append(estimator)
        plan[name] = {"invocations": accepted, "refused": refused, **entry}
    return plan


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


def run_panel(quipu: Path, study: dict, plan: dict, design: str, seed: int, simulate_args: list[str],
              programmes: list[str], scales: list[str], estimators: list[str], workdir: Path) -> dict:
    """Simulates one panel, runs every did call on it, returns the estimates and timings."""
    records, failures, unmapped = [], [], set()
    timing = {"simulate": 0.0, "did": 0.0, "did_calls": 0}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        panel, truth_path = os.path.join(tmp, "panel.csv"), os.path.join(tmp, "truth.json")
        start = time.monotonic()
        sim = subprocess.run([str(quipu), "simulate", "peru", "--seed", str(seed), *simulate_args,
                              "--output", panel, "--truth", truth_path], capture_output=True, text=True, env=thread_env())
        timing["simulate"] = time.monotonic() - start
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
                        start = time.monotonic()
                        run = subprocess.run(did_command(quipu, panel, study, programme, scale, outcome, invocation),
                                             capture_output=True, text=True, env=thread_env())
                        timing["did"] += time.monotonic() - start
                        timing["did_calls"] += 1
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


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", type=int, default=200, help="panels per design (default 200)")
    parser.add_argument("--first-seed", type=int, default=1, help="seeds FIRST..FIRST+panels-1 (default 1)")
    parser.add_argument("--designs", default=None, help="comma-separated designs of study.json (default: all the binary supports)")
    parser.add_argument("--programmes", default=None, help="comma-separated (default: all)")
    parser.add_argument("--scales", default=None, help="comma-separated (default: all)")
    parser.add_argument("--estimators", default=None, help="comma-separated estimators of study.json (default: all)")
    parser.add_argument("--cbi-firms", type=int, default=None, help="passed to quipu simulate peru (needs a binary that has it)")
    parser.add_argument("--pum-firms", type=int, default=None, help="passed to quipu simulate peru (needs a binary that has it)")
    parser.add_argument("--stop-after-minutes", type=float, default=None, metavar="M",
                        help="start no panel after M minutes of wall time; summarise the panels finished (each design the same seeds)")
    parser.add_argument("--jobs", type=int, default=2, help="panels run in parallel (default 2, one per core)")
    parser.add_argument("--quipu", type=Path, default=DEFAULT_QUIPU, help="the quipu binary (default: the release build)")
    parser.add_argument("--label", default=None, help="file-name label (default: full with 200+ panels, else pilot)")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    parser.add_argument("--study", type=Path, default=HERE / "study.json")
    parser.add_argument("--table", type=Path, default=None, metavar="RESULTS.json",
                        help="print the compact table (bias · SE/SD · coverage) of a results file and exit")
    return parser.parse_args(argv)


def chosen(text: str | None, available: list[str], what: str) -> list[str]:
    if text is None:
        return list(available)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(f"run_coverage.py: unknown {what} {', '.join(unknown)} (study.json has {', '.join(available)})")
    return names


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.table:
        results = json.loads(args.table.read_text())
        for design in dict.fromkeys(r["design"] for r in results["summary"]):
            print(f"\n{design}, {results['panels_per_design']} panels ({results['label']}):\n")
            print(compact_markdown(results["summary"], design))
        print("\nCells outside 0.92–0.98 coverage or 0.9–1.1 SE/SD:\n")
        print(exceptions_markdown(results["summary"]))
        return 0
    study = json.loads(args.study.read_text())
    quipu = args.quipu.resolve()
    if not os.access(quipu, os.X_OK):
        log(f"run_coverage.py: no quipu binary at {quipu}; build it with `swift build -c release --product quipu`")
        return 2
    programmes = chosen(args.programmes, list(study["programmes"]), "programme")
    scales = chosen(args.scales, list(study["scales"]), "scale")
    estimators = chosen(args.estimators, list(study["estimators"]), "estimator")
    offered = simulate_options(quipu)
    extra = []
    for flag, value in (("--cbi-firms", args.cbi_firms), ("--pum-firms", args.pum_firms)):
        if value is not None:
            if flag not in offered:
                log(f"run_coverage.py: this quipu's simulate peru has no {flag}")
                return 2
            extra += [flag, str(value)]
    designs, skipped = [], {}
    for name in chosen(args.designs, list(study["designs"]), "design"):
        missing = [flag for flag in study["designs"][name]["needs"] if flag not in offered]
        if missing:
            skipped[name] = f"this quipu's simulate peru has no {', '.join(missing)}"
            log(f"design '{name}' skipped: {skipped[name]}")
        else:
            designs.append(name)
    if not designs:
        log("run_coverage.py: no design to run")
        return 2

    started = dt.datetime.now(dt.timezone.utc)
    machine = machine_facts()  # with loadavg_at_start
    plan = plan_invocations(quipu, study, scales, estimators)
    wall = time.monotonic()
    cpu_before = child_cpu_seconds()
    for name, entry in plan.items():
        log(f"scale {name}: --estimator {', '.join(entry['invocations']) or '(none accepted)'}"
            + (f"; refused: {', '.join(entry['refused'])}" if entry["refused"] else ""))
    # Seed by seed, every design of a seed in turn: a run stopped early (--stop-after-minutes) has
    # the same seeds in every design.
    tasks = [(d, args.first_seed + k) for k in range(args.panels) for d in designs]
    stop_at = wall + 60 * args.stop_after_minutes if args.stop_after_minutes else None

    def panel_task(design: str, seed: int, workdir: Path) -> dict | None:
        if stop_at is not None and time.monotonic() > stop_at:
            return None  # past the time budget: not started
        return run_panel(quipu, study, plan, design, seed, study["designs"][design]["simulate_args"] + extra,
                         programmes, scales, estimators, workdir)

    records, failures, timings, unmapped = [], [], [], set()
    finished: dict[str, list[int]] = {d: [] for d in designs}
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="quipu-coverage-") as workdir, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(panel_task, d, seed, Path(workdir)): (d, seed) for d, seed in tasks}
        for done, future in enumerate(as_completed(futures), 1):
            design, seed = futures[future]
            outcome = future.result()
            if outcome is None:
                continue
            finished[design].append(seed)
            with lock:
                records += outcome["records"]
                failures += outcome["failures"]
                unmapped |= outcome["unmapped"]
                timings.append({"design": design, "seed": seed, **outcome["timing"]})
            t = outcome["timing"]
            log(f"[{done}/{len(tasks)}] {design} seed {seed}: simulate {t['simulate']:.2f} s, "
                f"{t['did_calls']} did calls {t['did']:.1f} s" + (f", {len(outcome['failures'])} failed" if outcome["failures"] else ""))
    elapsed = time.monotonic() - wall
    cpu = child_cpu_seconds() - cpu_before
    n_panels = len(timings)
    # Only seeds that every design finished enter the summary (a stopped run's last seed may be
    # missing from some designs).
    common = sorted(set.intersection(*(set(s) for s in finished.values()))) if finished else []
    dropped = sorted({s for seeds in finished.values() for s in seeds} - set(common))
    records = [r for r in records if r["seed"] in common]
    failures = [f for f in failures if f["seed"] in common]
    if len(common) < args.panels:
        log(f"stopped after {args.stop_after_minutes:g} minutes: {len(common)} of {args.panels} panels per design"
            + (f" (seeds {dropped} finished by some designs only, left out)" if dropped else ""))
    rows = summary_rows(records, study)
    label = args.label or ("full" if len(common) >= 200 else "pilot")
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    meta = {
        "label": label,
        "command": shlex.join([sys.executable, *sys.argv]),
        "started_utc": started.isoformat(timespec="seconds"),
        "panels_per_design": len(common), "seeds": [common[0], common[-1]] if common else [],
        "panels_planned": args.panels, "stop_after_minutes": args.stop_after_minutes, "seeds_left_out": dropped,
        "designs": {d: study["designs"][d]["simulate_args"] + extra for d in designs}, "designs_skipped": skipped,
        "jobs": args.jobs, "plan": plan, "study": study,
        "quipu": {"path": str(quipu), "version": quipu_version(str(quipu)), "simulate_options": sorted(offered)},
        "git": git_facts(), "machine": {**machine, "loadavg_at_end": loadavg()},
        "runtime": {"wall_seconds": round(elapsed, 1), "panels": n_panels,
                    "seconds_per_panel_per_job": round(elapsed * args.jobs / n_panels, 2),
                    "mean_simulate_seconds": round(sum(t["simulate"] for t in timings) / n_panels, 3),
                    "mean_did_seconds_per_panel": round(sum(t["did"] for t in timings) / n_panels, 3),
                    "did_calls_per_panel": timings[0]["did_calls"] if timings else 0,
                    "cpu_seconds": round(cpu, 1), "cpu_seconds_per_panel": round(cpu / n_panels, 3),
                    "runner_cpu_seconds": round(runner_cpu_seconds(), 1),
                    "projected_minutes_400_panels_wall": round(elapsed / n_panels * 400 / 60, 1),
                    "projected_minutes_400_panels_2_idle_cores": round(cpu / n_panels * 400 / 2 / 60, 1),
                    "note": "wall time depends on the load of the machine (machine.loadavg_at_start/at_end); the CPU time of the "
                            "quipu processes does not, so CPU seconds / 2 is the wall time on 2 idle cores"},
        "failures": failures,
        # Estimators the CLI ran that study.json does not map to a truth: add them to `estimators`.
        "estimators_not_in_study": sorted(unmapped),
    }
    if unmapped:
        log(f"not in study.json, so not compared with the truth: {', '.join(sorted(unmapped))}")
    paths = write_outputs(args.results_dir, stamp, label, meta, rows, records)
    print(markdown(rows))
    log(f"\n{n_panels} panels in {elapsed:.0f} s wall ({elapsed / n_panels:.2f} s a panel with {args.jobs} jobs), "
        f"{cpu:.0f} s CPU ({cpu / n_panels:.2f} s a panel): 400 panels take about {elapsed / n_panels * 400 / 60:.1f} min "
        f"at this load, {cpu / n_panels * 400 / 2 / 60:.1f} min on 2 idle cores; {len(failures)} did runs failed")
    for path in paths:
        log(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
