"""How the coverage study calls `quipu`: the `did` command line of a study cell, which `--estimator`
values each scale needs (the plan, probed once on the shipped panel), and one measured call.

Goals, in order:
1. As few `quipu` processes as the CLI allows: one `did --estimator all` per panel × programme ×
   scale × outcome where the CLI takes `all` on that scale (every estimator of the scale in one
   process, the panel read once), a call of its own only for an estimator `all` does not run.
2. Every call's CPU time measured exactly (`os.wait4` gives the child's own rusage, also with two
   panels running in parallel), so the study's runtime on idle cores can be projected from a run on
   a shared machine and the CPU split by programme × scale (the profile in the results JSON).
3. A call that hangs is killed after `CALL_TIMEOUT_SECONDS` and recorded as failed, never blocks.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PERU = REPO / "Datasets" / "peru-natural-ingredients" / "peru.csv"
EXIT_USAGE = 64  # the CLI's exit status for an option it refuses (README: "exit 64")
CALL_TIMEOUT_SECONDS = 300.0


def thread_env() -> dict:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        env[name] = "1"
    return env


class Call:
    """A finished process: exit status, output, wall seconds and its own CPU seconds (user + system)."""

    def __init__(self, returncode: int, stdout: str, stderr: str, wall: float, cpu: float):
        self.returncode, self.stdout, self.stderr, self.wall, self.cpu = returncode, stdout, stderr, wall, cpu


def run_measured(command: list[str], timeout: float = CALL_TIMEOUT_SECONDS) -> Call:
    """Runs `command` with one BLAS thread and returns its output with its own CPU time.
    `os.wait4` reaps exactly this child, so the CPU time is its own even when other threads of the
    runner have children running at the same time (RUSAGE_CHILDREN would mix them)."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=thread_env())
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda name=name, pipe=pipe: streams.__setitem__(name, pipe.read()))
               for name, pipe in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    for reader in readers:
        reader.join()
    process.stdout.close()
    process.stderr.close()
    returncode = os.waitstatus_to_exitcode(status)
    process.returncode = returncode  # reaped here: keep Popen from waiting for it again
    stderr = streams.get("err", b"").decode(errors="replace")
    if returncode < 0:
        stderr = f"killed by signal {-returncode}" + (f" after the {timeout:.0f} s time limit" if time.monotonic() - start >= timeout else "") + "\n" + stderr
    return Call(returncode, streams.get("out", b"").decode(errors="replace"), stderr,
                time.monotonic() - start, usage.ru_utime + usage.ru_stime)


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
    accepted. `all` runs only when it runs at least one estimator the scale lists, and what it
    runs beyond them is named (`all_also_runs`): computed, not compared with a truth."""
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
        probe = run_measured(did_command(quipu, data, study, programme, scale, outcome, "all"))
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
                extra = [e for e in by_all if e not in wanted]
                if extra:
                    entry["all_also_runs"] = extra
        else:
            separately = wanted
            entry["all_refused"] = first_line(probe.stderr)
        for estimator in separately:
            run = run_measured(did_command(quipu, data, study, programme, scale, outcome, estimator))
            if run.returncode == EXIT_USAGE:
                refused[estimator] = first_line(run.stderr)
            else:
                accepted.append(estimator)
        plan[name] = {"invocations": accepted, "refused": refused, **entry}
    return plan
