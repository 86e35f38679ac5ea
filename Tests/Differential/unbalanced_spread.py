#!/usr/bin/env python3
"""Mean analytic SE against the spread of the estimates over simulated Peru panels (issue 21, point 1).

On a panel whose outcome drops in and out (log temporary jobs: a firm has temporary workers in some
years only) an estimator's analytic standard error should match the standard deviation of its
estimates over independent panels of the same design. That comparison needs no truth; coverage of
the truth file's mean log effect is printed beside it for reference (the truth averages over the
treated firm-years observed with Y > 0, cells weighted by their firm-years; CS's simple aggregate
weights cells by cohort size, `simple_cohort_size`).

    python3 Tests/Differential/unbalanced_spread.py .build/release/quipu --seeds 101-140 \
        --outcome emp_temporary [--work /tmp/spread] [--jobs 2]

Panels are cached in --work, so a rerun with a rebuilt binary only re-estimates.
"""
import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys

RUNS = [  # (label, extra did arguments, estimator key in the JSON, aggregate type)
    ("cs pairwise", ["--estimator", "cs", "--aggregate", "simple"], "cs", "simple"),
    ("cs unbalanced", ["--estimator", "cs", "--aggregate", "simple", "--panel", "unbalanced"], "cs", "simple"),
    ("sunab", ["--estimator", "sunab"], "sunab", "simple"),
    ("imputation", ["--estimator", "imputation"], "imputation", "simple"),
    ("twfe", ["--estimator", "twfe"], "twfe", "simple"),
]
PROGRAMMES = {"pum": "pum_cohort", "cbi": "cbi_cohort"}


def simulate(binary, seed, work):
    data = os.path.join(work, f"peru-{seed}.csv")
    truth = os.path.join(work, f"peru-{seed}-truth.json")
    if not (os.path.exists(data) and os.path.exists(truth)):
        subprocess.run([binary, "simulate", "peru", "--seed", str(seed), "--output", data, "--truth", truth],
                       check=True, capture_output=True)
    return data, truth


def overall(binary, data, cohort, outcome, extra):
    args = [binary, "did", "--data", data, "--unit", "firm_id", "--time", "year", "--cohort", cohort,
            "--outcome", outcome, "--format", "json", "--threads", "1"] + extra
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(" ".join(args) + "\n" + done.stderr)
    return json.loads(done.stdout)


def truth_effects(path, programme, outcome):
    truth = json.load(open(path))
    for group in truth["effects"] if "effects" in truth else truth["aggregates"]:
        if group["programme"] == programme and group["outcome"] == outcome:
            return group["simple"]["log_effect"], group["simple_cohort_size"]["log_effect"]
    raise KeyError((programme, outcome))


def one_seed(binary, seed, work, outcome):
    data, truth = simulate(binary, seed, work)
    rows = []
    for programme, cohort in PROGRAMMES.items():
        pooled, by_size = truth_effects(truth, programme, outcome)
        for label, extra, key, kind in RUNS:
            result = overall(binary, data, cohort, f"log({outcome})", extra)
            hit = [a for a in result["aggregates"] if a["estimator"] == key and a["type"] == kind and a["overall"]]
            if not hit:
                continue
            a = hit[0]
            target = by_size if key == "cs" else pooled
            rows.append(dict(seed=seed, programme=programme, run=label, estimate=a["estimate"],
                             se=a["std_error"], low=a["conf_low"], high=a["conf_high"], truth=target))
    return rows


def resample(data, out, seed):
    """A unit-cluster bootstrap panel: firms drawn with replacement, each draw a new firm_id."""
    import csv
    import random
    with open(data) as f:
        reader = csv.reader(f)
        header = next(reader)
        firms = {}
        for row in reader:
            firms.setdefault(row[0], []).append(row)
    keys = sorted(firms, key=int)
    draw = random.Random(seed)
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for new_id in range(1, len(keys) + 1):
            for row in firms[keys[draw.randrange(len(keys))]]:
                writer.writerow([str(new_id)] + row[1:])


def bootstrap(binary, seed, work, outcome, reps, jobs):
    """Analytic SE on one panel against the SD of the estimates over firm-resampled copies."""
    data, _ = simulate(binary, seed, work)

    def run(rep):
        copy = os.path.join(work, f"boot-{seed}-{rep}.csv")
        if rep > 0:
            resample(data, copy, 1000 * seed + rep)
        out = []
        for programme, cohort in PROGRAMMES.items():
            for label, extra, key, kind in RUNS:
                result = overall(binary, data if rep == 0 else copy, cohort, f"log({outcome})", extra)
                hit = [a for a in result["aggregates"] if a["estimator"] == key and a["type"] == kind and a["overall"]]
                if hit:
                    out.append((programme, label, hit[0]["estimate"], hit[0]["std_error"]))
        if rep > 0:
            os.remove(copy)
        return out

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(run, range(reps + 1)))
    print(f"log({outcome}), panel seed {seed}, {reps} firm-resampled copies")
    print(f"{'programme':9} {'estimator':14} {'analytic SE':>11} {'bootstrap SD':>12} {'ratio':>6}")
    for programme, label, estimate, se in results[0]:
        draws = [e for rep in results[1:] for (p, l, e, _) in rep if p == programme and l == label]
        mean = sum(draws) / len(draws)
        sd = math.sqrt(sum((d - mean) ** 2 for d in draws) / (len(draws) - 1))
        print(f"{programme:9} {label:14} {se:11.4f} {sd:12.4f} {se / sd:6.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seeds", default="101-140")
    parser.add_argument("--outcome", default="emp_temporary")
    parser.add_argument("--work", default="/tmp/quipu-spread")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write the per-panel rows here")
    parser.add_argument("--bootstrap", type=int, metavar="REPS",
                        help="instead: a unit-cluster bootstrap with REPS copies of the first seed's panel")
    args = parser.parse_args()
    if args.bootstrap:
        os.makedirs(args.work, exist_ok=True)
        return bootstrap(args.binary, int(args.seeds.split("-")[0]), args.work, args.outcome, args.bootstrap, args.jobs)
    first, last = (int(x) for x in args.seeds.split("-"))
    os.makedirs(args.work, exist_ok=True)
    rows = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for part in pool.map(lambda s: one_seed(args.binary, s, args.work, args.outcome), range(first, last + 1)):
            rows += part
    if args.json:
        json.dump(rows, open(args.json, "w"), indent=1)
    print(f"log({args.outcome}), seeds {args.seeds}")
    print(f"{'programme':9} {'estimator':14} {'n':>3} {'mean SE':>8} {'SD est':>8} {'ratio':>6} {'bias':>8} {'cover':>6}")
    for programme in PROGRAMMES:
        for label, *_ in RUNS:
            part = [r for r in rows if r["programme"] == programme and r["run"] == label]
            if len(part) < 2:
                continue
            est = [r["estimate"] for r in part]
            mean = sum(est) / len(est)
            sd = math.sqrt(sum((e - mean) ** 2 for e in est) / (len(est) - 1))
            se = sum(r["se"] for r in part) / len(part)
            bias = sum(r["estimate"] - r["truth"] for r in part) / len(part)
            cover = sum(r["low"] <= r["truth"] <= r["high"] for r in part) / len(part)
            print(f"{programme:9} {label:14} {len(part):3d} {se:8.4f} {sd:8.4f} {se / sd:6.2f} {bias:+8.4f} {cover:6.2f}")


if __name__ == "__main__":
    sys.exit(main())
