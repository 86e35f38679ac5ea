#!/usr/bin/env python3
"""Every cell of a coverage-study results file outside the issue's bands (coverage 0.92–0.98, mean
SE / SD of the errors 0.9–1.1), for the heterogeneity-robust estimators, each with the reason the
README gives for it, chosen by a stated rule, so that the README's exceptions table is reproducible:

    python3 Benchmarks/coverage/explain_exceptions.py results/coverage-<label>-<stamp>.json

Rules, the first that holds names the reason (README.md, "What misses the bands, and why"):
  level      the level scale: the simulator's trends multiply levels, parallel trends hold in logs only
  prop-cs    the proportional CS (Poisson scale): built on CS's level ATT, so it inherits `level`
  few-firms  Sun–Abraham or ETWFE on `pum_only` with SE/SD < 0.9: few exporting firms per cell
  overlap    an unrestricted programme on the default design whose bias exceeds 2 MC SEs and whose
             variant (cbi_only / pum_only) has at most half of it: the other programme's effects
  variant    a variant whose bias exceeds 2 MC SEs: it is held against all the programme's firms' truth
  trends     a bias beyond 2 MC SEs that the null design (no effect anywhere, so no overlap and no
             estimand question) shows too, with the same sign: the simulator's trends (issue 21 point 2)
  noise      bias, coverage and SE/SD each within 2 Monte Carlo SEs of 0, 0.95 and 1 at this N
  gaps       temporary jobs (an outcome with gaps) on the log scale with SE/SD < 0.9 (issue 21 point 1)
  conservative  SE/SD > 1.1 with coverage at least 0.92: intervals wider than needed
  tails      ETWFE Poisson or the Poisson imputation with SE/SD < 0.9 and a bias within 2.5 MC SEs:
             heavy-tailed export values, few firms
  other      none of these: the README discusses the cell on its own
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from coverage_tables import amount, fmt  # noqa: E402

ROBUST = ("cs", "sunab", "imputation", "etwfe")
VARIANT = {"cbi": "cbi_only", "pum": "pum_only"}


def outside(r: dict, coverage_band=(0.92, 0.98), ratio_band=(0.9, 1.1)) -> tuple[bool, bool]:
    cov_out = r["coverage"] is not None and not coverage_band[0] <= r["coverage"] <= coverage_band[1]
    ratio_out = r["se_ratio"] is not None and not ratio_band[0] <= r["se_ratio"] <= ratio_band[1]
    return cov_out, ratio_out


def within_noise(r: dict) -> bool:
    """Bias, coverage and SE/SD each within 2 Monte Carlo SEs of their targets (the SD of the
    errors is known to about 1/√(2(n − 1)) relative)."""
    n = r["n_panels"]
    if n < 3 or r["bias_mcse"] is None or r["se_ratio"] is None:
        return False
    coverage_mcse = math.sqrt(0.95 * 0.05 / n)
    return (abs(r["bias"]) <= 2 * r["bias_mcse"] and abs(r["coverage"] - 0.95) <= 2 * coverage_mcse
            and abs(r["se_ratio"] - 1) <= 2 / math.sqrt(2 * (n - 1)))


def reason(r: dict, keyed: dict) -> str:
    z = abs(r["bias"]) / r["bias_mcse"] if r["bias_mcse"] else 0.0
    if r["scale"] == "level":
        return "level"
    if r["scale"] == "poisson" and r["estimator"] == "cs":
        return "prop-cs"
    if r["programme"] == "pum_only" and r["estimator"] in ("sunab", "etwfe") and r["se_ratio"] is not None and r["se_ratio"] < 0.9:
        return "few-firms"
    variant = keyed.get((r["design"], VARIANT.get(r["programme"]), r["outcome"], r["scale"], r["estimator"]))
    if r["design"] == "default" and z > 2 and variant is not None and abs(variant["bias"]) <= abs(r["bias"]) / 2:
        return "overlap"
    if r["programme"] in VARIANT.values() and z > 2:
        return "variant"
    null = keyed.get(("null", r["programme"], r["outcome"], r["scale"], r["estimator"]))
    if z > 2 and null is not None and null["bias_mcse"] and abs(null["bias"]) > 2 * null["bias_mcse"] \
            and null["bias"] * r["bias"] > 0:
        return "trends"
    if within_noise(r):
        return "noise"
    ratio = r["se_ratio"]
    if ratio is None:
        return "other"
    if r["outcome"] == "emp_temporary" and r["scale"] == "log" and ratio < 0.9:
        return "gaps"
    if ratio > 1.1 and r["coverage"] >= 0.92:
        return "conservative"
    if r["scale"] == "poisson" and r["estimator"] in ("imputation", "etwfe") and ratio < 0.9 and z <= 2.5:
        return "tails"
    return "other"


def explained_rows(rows: list[dict]) -> list[tuple[dict, str]]:
    keyed = {(r["design"], r["programme"], r["outcome"], r["scale"], r["estimator"]): r for r in rows}
    out = []
    for r in rows:
        if r["estimator"] not in ROBUST or not r["n_panels"] or not any(outside(r)):
            continue
        out.append((r, reason(r, keyed)))
    return out


def markdown(explained: list[tuple[dict, str]]) -> str:
    lines = ["| design | scale | programme | outcome | estimator | bias (MC SEs) | SE/SD | coverage | rejection | reason |",
             "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for r, why in explained:
        cov_out, ratio_out = outside(r)
        z = r["bias"] / r["bias_mcse"] if r["bias_mcse"] else None
        lines.append(f"| {r['design']} | {r['scale']} | {r['programme'].upper()} | {r['outcome']} | {r['estimator']} | "
                     f"{amount(r['bias'], signed=True)} ({fmt(z, '+.1f')}) | {fmt(r['se_ratio'], '.2f')}{' ✗' if ratio_out else ''} | "
                     f"{fmt(r['coverage'], '.2f')}{' ✗' if cov_out else ''} | {fmt(r['rejection'], '.2f')} | {why} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    results = json.loads(Path(argv[1]).read_text())
    explained = explained_rows(results["summary"])
    print(markdown(explained))
    counts: dict[str, int] = {}
    for _, why in explained:
        counts[why] = counts.get(why, 0) + 1
    print("\n" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
