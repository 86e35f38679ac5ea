#!/usr/bin/env python3
"""One timed `quipu did --estimator cs` run; prints one JSON line (or says why it cannot run).

    python Benchmarks/staggered/quipu_cs.py --data FILE [--covariates x1,x2] [--threads N]
        [--reps 999] [--seed 1] [--quipu PATH] [--timeout S]

It runs, in a fresh process under /usr/bin/time:

    quipu did --data FILE --outcome y --unit id --time period --cohort cohort --estimator cs
        --method dr --control never [--covariates x1,x2] --aggregate all --bootstrap multiplier
        --reps 999 --seed 1 --threads N --format json --timings

and reads the JSON on stdout ("aggregates": objects with "estimator", "type" (simple, group,
dynamic, calendar), "estimate", "std_error" and a "by" list) and the last line of stderr that is
`{"timings": {"read_seconds": s, "estimate_seconds": s, "total_seconds": s, ...}}` (older builds
wrote "read", "estimate" and "total"; `_get` reads either). The estimation time
is total - read, the same region the Python peers time (they exclude reading the CSV). The wall time
is the whole process; the peak memory is GNU time's maximum resident set size.

If the binary is missing, or `quipu did --help` lacks one of the flags above, it prints a clear
message and exits with status 2 (run_staggered.py then reports the peers only).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timed import timed_run  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_QUIPU = REPO / ".build" / "release" / "quipu"
REQUIRED_FLAGS = ["--cohort", "--estimator", "--method", "--control", "--covariates", "--aggregate",
                  "--bootstrap", "--reps", "--seed", "--threads", "--timings"]


def check_quipu(path: Path) -> str | None:
    """None if the binary can run the benchmark, else the reason it cannot."""
    if not path.exists() or not os.access(path, os.X_OK):
        return (f"Quipu binary {path} not found (build it with: swift build -c release --product quipu)")
    try:
        proc = subprocess.run([str(path), "did", "--help"], capture_output=True, text=True, timeout=60)
    except Exception as exc:  # pragma: no cover
        return f"could not run {path} did --help: {exc}"
    text = proc.stdout + proc.stderr
    missing = [f for f in REQUIRED_FLAGS if f not in text]
    if missing:
        return (f"`{path.name} did` lacks {', '.join(missing)}: this build has no Callaway-Sant'Anna "
                "estimator yet; rebuild once it is merged")
    return None


def quipu_version(path: Path) -> str | None:
    try:
        proc = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30)
    except Exception:
        return None
    return (proc.stdout.strip() or None) if proc.returncode == 0 else None


def build_cmd(quipu: Path, data: str, covariates: list[str], threads: int, reps: int, seed: int) -> list[str]:
    cmd = [str(quipu), "did", "--data", str(data), "--outcome", "y", "--unit", "id", "--time", "period",
           "--cohort", "cohort", "--estimator", "cs", "--method", "dr", "--control", "never"]
    if covariates:
        cmd += ["--covariates", ",".join(covariates)]
    cmd += ["--aggregate", "all", "--bootstrap", "multiplier", "--reps", str(reps), "--seed", str(seed),
            "--threads", str(threads), "--format", "json", "--timings"]
    return cmd


def _timings(stderr: str) -> dict | None:
    found = None
    for line in (stderr or "").splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            t = json.loads(line).get("timings")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(t, dict):
            found = t
    return found


def _get(t: dict, key: str):
    for k in (key, key + "_seconds", key + "_s"):
        if k in t:
            return t[k]
    return None


def run_once(quipu: Path, data: str, covariates: list[str], threads: int, reps: int = 999, seed: int = 1,
             timeout: float | None = None, env: dict | None = None, mem_limit_bytes: int | None = None) -> dict:
    cmd = build_cmd(quipu, data, covariates, threads, reps, seed)
    rec = {"tool": "quipu", "command": " ".join(cmd), "threads": threads, "covariates": covariates}
    r = timed_run(cmd, env=env, timeout=timeout, mem_limit_bytes=mem_limit_bytes)
    rec.update({k: r.get(k) for k in ("status", "error", "wall_s", "max_rss_kib", "returncode", "signal")
                if r.get(k) is not None or k in ("status", "wall_s")})
    if r.get("signal"):
        from timed import _signame
        rec["signal_name"] = _signame(r["signal"])
    rec["max_rss_mib"] = r["max_rss_kib"] / 1024 if r.get("max_rss_kib") else None
    if r["status"] != "ok":
        return rec
    try:
        doc = json.loads(r["stdout"])
    except json.JSONDecodeError:
        rec.update(status="error", error="stdout is not JSON: " + r["stdout"][:500])
        return rec
    aggs = doc.get("aggregates")
    if not isinstance(aggs, list):
        rec.update(status="error", error="no \"aggregates\" list in Quipu's JSON output")
        return rec
    rec["aggregates"] = aggs
    simple = next((a for a in aggs if a.get("type") == "simple"), None)
    if simple is None:
        rec.update(status="error", error="no aggregate of type \"simple\" in Quipu's JSON output")
        return rec
    t = _timings(r["stderr"])
    if t is None:
        rec.update(status="error", error="no {\"timings\": ...} line on stderr (was --timings honoured?)")
        return rec
    rec["timings"] = t
    read, total = _get(t, "read"), _get(t, "total")
    rec["read_s"], rec["total_s"] = read, total
    rec["estimate_s"] = (total - read) if read is not None and total is not None else None
    rec["aggregate_types"] = sorted({a.get("type") for a in aggs if a.get("type")})
    rec["json_keys"] = sorted(doc)
    return rec


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--covariates", default="")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=999)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quipu", default=str(DEFAULT_QUIPU))
    ap.add_argument("--timeout", type=float, default=None)
    args = ap.parse_args(argv)
    quipu = Path(args.quipu)
    reason = check_quipu(quipu)
    if reason:
        bar = "=" * 78
        print(f"{bar}\n[quipu] cannot run the Callaway-Sant'Anna benchmark: {reason}\n{bar}", file=sys.stderr)
        return 2
    covs = [c for c in args.covariates.split(",") if c]
    rec = run_once(quipu, args.data, covs, args.threads, args.reps, args.seed, args.timeout)
    print(json.dumps(rec))
    return 0 if rec["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
