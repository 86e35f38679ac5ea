#!/usr/bin/env python3
"""Monte Carlo coverage study of `quipu did` on simulated Peru panels (issue 21, point 4).

Normally started through `Benchmarks/coverage/run.sh` (or `make coverage`), which builds the
release binary first. For each design of study.json's `full_run` (`default`; `null` =
`--effect-scale 0`, run only when `quipu simulate peru --help` offers the option; other designs
with --designs) and seeds FIRST..FIRST+N-1:

  1. `quipu simulate peru --seed S [design args] --output panel.csv --truth truth.json`;
  2. for each programme × scale × outcome of study.json, one `quipu did --estimator all
     --format json --threads 1` (or, where the CLI refuses `all` on that scale, one call per
     estimator it accepts: found once, before the study, on the shipped Peru panel;
     coverage_calls.py);
  3. each estimator's overall aggregate against the truth of that aggregate (coverage_panel.py,
     coverage_stats.py: the same cell weights as the estimator).

Panels run in --jobs parallel workers (each a serial chain of processes, OpenBLAS and Quipu held
to one thread), so 2 jobs use the 2 cores. A run stopped by --stop-after-minutes, SIGINT or
SIGTERM starts no further panel, lets the running ones finish and writes the results of the seeds
every design finished. Writes, under --results-dir (coverage_results.py):
  coverage-<label>-<UTC stamp>.json   command, commit, machine, timings and their profile, plan, summary rows
  coverage-<label>-<UTC stamp>.csv    the summary rows
  estimates-<label>-<UTC stamp>.csv.gz  every estimate with its truth (to recompute anything)
and prints the summary as Markdown. Exit status 1 if any did run failed, else 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shlex
import signal
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
from coverage_calls import plan_invocations, simulate_options  # noqa: E402
from coverage_panel import run_panel  # noqa: E402
from coverage_results import runtime_summary, summary_rows, write_outputs  # noqa: E402
from coverage_tables import compact_markdown, exceptions_markdown, markdown  # noqa: E402
from run_feols import git_facts, loadavg, machine_facts, quipu_version  # noqa: E402  (Benchmarks/run_feols.py)

DEFAULT_QUIPU = REPO / ".build" / "release" / "quipu"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def runner_cpu_seconds() -> float:
    """CPU time of this Python process (its threads read and summarise the JSON)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", type=int, default=200, help="panels per design (default 200)")
    parser.add_argument("--first-seed", type=int, default=1, help="seeds FIRST..FIRST+panels-1 (default 1)")
    parser.add_argument("--designs", default=None, help="comma-separated designs of study.json (default: its `full_run` designs the binary supports)")
    parser.add_argument("--programmes", default=None, help="comma-separated (default: all)")
    parser.add_argument("--scales", default=None, help="comma-separated (default: all)")
    parser.add_argument("--estimators", default=None, help="comma-separated estimators of study.json (default: all)")
    parser.add_argument("--cbi-firms", type=int, default=None, help="passed to quipu simulate peru (needs a binary that has it)")
    parser.add_argument("--pum-firms", type=int, default=None, help="passed to quipu simulate peru (needs a binary that has it)")
    parser.add_argument("--stop-after-minutes", type=float, default=None, metavar="M",
                        help="start no panel after M minutes of wall time; summarise the panels finished (each design the same seeds)")
    parser.add_argument("--jobs", type=int, default=2, help="panels run in parallel (default 2, one per core)")
    parser.add_argument("--quipu", type=Path, default=DEFAULT_QUIPU, help="the quipu binary (default: the release build)")
    parser.add_argument("--label", default=None, help="file-name label (default: full when every planned panel ran, at least 200; partialN when stopped early at N; else pilot)")
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
    for name in chosen(args.designs, list(study["designs"]), "design") if args.designs else study.get("full_run", list(study["designs"])):
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
    git = git_facts()  # at the start: the commit the run's code and binary come from
    plan = plan_invocations(quipu, study, scales, estimators)
    wall = time.monotonic()
    runner_cpu_before = runner_cpu_seconds()
    for name, entry in plan.items():
        log(f"scale {name}: --estimator {', '.join(entry['invocations']) or '(none accepted)'}"
            + (f"; refused: {', '.join(entry['refused'])}" if entry["refused"] else ""))
    # Seed by seed, every design of a seed in turn: a run stopped early (--stop-after-minutes) has
    # the same seeds in every design.
    tasks = [(d, args.first_seed + k) for k in range(args.panels) for d in designs]
    stop_at = wall + 60 * args.stop_after_minutes if args.stop_after_minutes else None
    stop = threading.Event()

    def stop_on_signal(signum, _frame):
        if not stop.is_set():
            log(f"signal {signum}: no further panel starts; the running ones finish and the results are written")
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop_on_signal)

    def panel_task(design: str, seed: int, workdir: Path) -> dict | None:
        if stop.is_set() or (stop_at is not None and time.monotonic() > stop_at):
            return None  # past the time budget or stopped: not started
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
                f"{t['did_calls']} did calls {t['did']:.1f} s wall {t['did_cpu']:.1f} s CPU"
                + (f", {len(outcome['failures'])} failed" if outcome["failures"] else ""))
    elapsed = time.monotonic() - wall
    n_panels = len(timings)
    runtime = runtime_summary(timings, elapsed, args.jobs, runner_cpu_seconds() - runner_cpu_before)
    # Only seeds that every design finished enter the summary (a stopped run's last seed may be
    # missing from some designs).
    common = sorted(set.intersection(*(set(s) for s in finished.values()))) if finished else []
    dropped = sorted({s for seeds in finished.values() for s in seeds} - set(common))
    records = [r for r in records if r["seed"] in common]
    failures = [f for f in failures if f["seed"] in common]
    if len(common) < args.panels:
        log(f"stopped ({'signal' if stop.is_set() else f'after {args.stop_after_minutes:g} minutes'}): {len(common)} of {args.panels} panels per design"
            + (f" (seeds {dropped} finished by some designs only, left out)" if dropped else ""))
    rows = summary_rows(records, study)
    # A run that stops early says so in its name: "full" only with every planned panel.
    label = args.label or ("full" if len(common) >= max(args.panels, 200) else f"partial{len(common)}" if len(common) < args.panels else "pilot")
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
        "git": git, "machine": {**machine, "loadavg_at_end": loadavg()},
        "runtime": runtime,
        "stopped_by_signal": stop.is_set(),
        "failures": failures,
        # Estimators the CLI ran that study.json does not map to a truth: add them to `estimators`.
        "estimators_not_in_study": sorted(unmapped),
    }
    if unmapped:
        log(f"not in study.json, so not compared with the truth: {', '.join(sorted(unmapped))}")
    paths = write_outputs(args.results_dir, stamp, label, meta, rows, records)
    print(markdown(rows))
    if n_panels:
        log(f"\n{n_panels} panels in {elapsed:.0f} s wall ({elapsed / n_panels:.2f} s a panel with {args.jobs} jobs), "
            f"{runtime['cpu_seconds']:.0f} s quipu CPU ({runtime['cpu_seconds_per_panel']:.2f} s a panel) + "
            f"{runtime['runner_cpu_seconds']:.0f} s runner CPU: 200 seeds of these designs take about "
            f"{runtime['projected_minutes_200_seeds_at_this_load']:.1f} min at this load, "
            f"{runtime['projected_minutes_200_seeds_2_idle_cores']:.1f} min on 2 idle cores; {len(failures)} did runs failed")
    for path in paths:
        log(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
