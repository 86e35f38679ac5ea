"""Speed of `quipu did --estimator cic|qdid|qtt` (issue 24, done-when item 7): 10^5 firms x 10
periods, 9 quantiles, 999 unit-bootstrap replicates, 2 threads, release build; and, side by side,
diff-diff 3.13's ChangesInChanges on the 2x2 (one cohort against never-treated units, two periods),
whose bootstrap is a Python loop over numpy sorts.

Run from the repository root after `swift build -c release --product quipu`:
    python3 Benchmarks/distributional/run_distributional_bench.py [--firms 100000] [--peer]
The data (Benchmarks/distributional/data, git-ignored) are generated on first use with a fixed
seed. The script prints one line per run: wall seconds (best of --repeat) and the machine's load
average at the start, since the machine may be shared.
"""
import argparse
import os
import subprocess
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
QUANTILES = "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9"


def generate(path: Path, firms: int, periods: int, seed: int = 24) -> None:
    """Cohorts 4, 6 and 8 (10% of firms each) and never-treated firms; log outcomes with firm
    levels, trends and noise; effects that grow with time since treatment and with the firm's rank."""
    rng = np.random.default_rng(seed)
    cohort = rng.choice([0, 4, 6, 8], size=firms, p=[0.7, 0.1, 0.1, 0.1])
    level = rng.normal(10, 1, firms)
    trend = rng.normal(0.02, 0.01, firms)
    years = np.arange(1, periods + 1)
    y = level[:, None] + trend[:, None] * years[None, :] + rng.normal(0, 0.3, (firms, periods))
    treated = (cohort[:, None] > 0) & (years[None, :] >= cohort[:, None])
    y += treated * (0.05 + 0.05 * (level[:, None] - 10)) * np.minimum(years[None, :] - cohort[:, None] + 1, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as out:
        out.write("firm,year,cohort,y\n")
        for i in range(firms):
            out.write("".join(f"{i + 1},{t},{cohort[i]},{y[i, t - 1]:.6f}\n" for t in years))
    os.replace(tmp, path)


def timed(command, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--reps", type=int, default=999)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--estimators", default="cic,qdid,qtt")
    parser.add_argument("--peer", action="store_true", help="also time diff-diff's ChangesInChanges on the 2x2")
    args = parser.parse_args()
    data = HERE / "data" / f"panel_{args.firms}x{args.periods}.csv"
    if not data.exists():
        generate(data, args.firms, args.periods)
    quipu = Path(".build/release/quipu")
    print(f"machine load average at start: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    for estimator in args.estimators.split(","):
        command = [str(quipu), "did", "--data", str(data), "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y",
                   "--estimator", estimator, "--quantiles", QUANTILES, "--reps", str(args.reps), "--threads", str(args.threads),
                   "--format", "json"]
        print(f"quipu did --estimator {estimator}: {args.firms} firms x {args.periods} periods, 9 quantiles, {args.reps} replicates, "
              f"{args.threads} threads: {timed(command, args.repeat):.2f} s (load {os.getloadavg()[0]:.1f})")
    # The 2x2 side by side: cohort 8 against never-treated firms, years 7 and 8.
    import pandas as pd
    frame = pd.read_csv(data)
    two = frame[frame["cohort"].isin([0, 8]) & frame["year"].isin([7, 8])]
    small = HERE / "data" / f"twobytwo_{args.firms}.csv"
    two.to_csv(small, index=False)
    command = [str(quipu), "did", "--data", str(small), "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y",
               "--estimator", "cic", "--quantiles", QUANTILES, "--reps", str(args.reps), "--threads", str(args.threads), "--format", "json"]
    print(f"2x2 ({two['firm'].nunique()} firms) quipu cic: {timed(command, args.repeat):.2f} s (load {os.getloadavg()[0]:.1f})")
    if args.peer:
        from diff_diff import ChangesInChanges
        two = two.assign(g=(two["cohort"] > 0).astype(int), post=(two["year"] == 8).astype(int))
        start = time.perf_counter()
        ChangesInChanges(quantiles=[float(q) for q in QUANTILES.split(",")], n_bootstrap=args.reps, panel=True, seed=1).fit(
            two, outcome="y", treatment="g", time="post", unit="firm")
        print(f"2x2 diff-diff 3.13 ChangesInChanges (one process, in Python): {time.perf_counter() - start:.2f} s (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
