"""Reference adjusted p-values for Quipu's multiple-testing adjustments.

Writes multiplicity_reference.json:
- `pvalue_cases`: several p-value vectors (ties, zeros, ones, a vector with every p below any
  level, one with none) with statsmodels' `multipletests` Holm (`holm`) and Benjamini–Hochberg
  (`fdr_bh`) adjusted p-values, statsmodels' two-stage Benjamini–Krieger–Yekutieli rejections
  (`fdr_tsbky`) at several levels, and Anderson's (2008) sharpened q-values computed by a line-by-line
  transcription of his Stata file `fdr_sharpened_qvalues.do` (below, `anderson_sharpened`).

  statsmodels' `fdr_tsbky` is the same two-stage procedure, but its "corrected p-values" are not
  Anderson's q-values: they are Benjamini–Hochberg values rescaled by the first stage's estimate of
  the number of true nulls at the requested alpha, so they change with alpha. Its *rejections* at a
  level equal Anderson's rejections at that level, and those are what the test compares.
- `rwolf`: pyfixest's `rwolf` and `wyoung` (wild cluster bootstrap, Rademacher, WCR, 9,999 replicates) for four
  outcomes regressed on the same regressors with the same clustering (rwolf_panel.csv, generated
  here and committed), with the raw t statistics and p-values.

Run: python -m venv /tmp/venv-multi && /tmp/venv-multi/bin/pip install -r requirements.txt &&
     /tmp/venv-multi/bin/python make_multiplicity_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import pyfixest as pf
import statsmodels
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = {
    "spread": [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986],
    "ties": [0.01, 0.01, 0.02, 0.02, 0.02, 0.5, 0.5, 0.03],
    "zeros_and_ones": [0.0, 1.0, 0.0, 0.2, 1.0, 0.04, 0.003],
    "all_small": [0.0001, 0.0002, 0.0003, 0.0004],
    "none_small": [0.3, 0.6, 0.9, 0.45, 0.8],
    "report_like": [0.005, 0.0001, 0.21, 0.64, 0.031, 0.0004, 0.72, 0.18, 0.049, 0.0023, 0.33, 0.012],
    "single": [0.03],
}
LEVELS = [0.01, 0.05, 0.1, 0.2]


def anderson_sharpened(pvals):
    """Anderson's Stata loop, transcribed: q from 1 down by 0.001; at each q the two-stage BKY
    procedure; a hypothesis keeps the last (smallest) q at which it was rejected. Stata's missing
    value (division by zero when the first stage rejects everything) compares greater than any p,
    so then every hypothesis is rejected."""
    p = np.asarray(pvals, dtype=float)
    order = np.argsort(p, kind="stable")
    sorted_p = p[order]
    m = len(p)
    rank = np.arange(1, m + 1)
    q_sorted = np.ones(m)
    qval = 1.0
    while qval > 0:
        qval_adj = qval / (1 + qval)
        reject1 = (qval_adj * rank / m) >= sorted_p
        total1 = int((reject1 * rank).max())
        if total1 == m:
            total2 = m
        else:
            qval_2st = qval_adj * (m / (m - total1))
            reject2 = (qval_2st * rank / m) >= sorted_p
            total2 = int((reject2 * rank).max())
        q_sorted[rank <= total2] = qval
        qval = qval - 0.001
    out = np.empty(m)
    out[order] = q_sorted
    return out


def pvalue_cases():
    cases = []
    for name, pvals in CASES.items():
        p = np.asarray(pvals, dtype=float)
        case = {
            "name": name,
            "p": pvals,
            "holm": multipletests(p, method="holm")[1].tolist(),
            "bh": multipletests(p, method="fdr_bh")[1].tolist(),
            "sharpened": anderson_sharpened(p).round(6).tolist(),
            "tsbky_rejections": {str(a): multipletests(p, alpha=a, method="fdr_tsbky")[0].tolist() for a in LEVELS},
        }
        cases.append(case)
    return cases


def make_panel():
    """40 clusters of 12 rows; a cluster-level treatment switched on half-way for half of them;
    four outcomes sharing a cluster shock (so their statistics are correlated), with effects
    0.35, 0.15, 0.05 and 0 in standard deviations of the noise."""
    rng = np.random.default_rng(20261207)
    clusters, periods = 40, 12
    rows = []
    for g in range(clusters):
        treated = g % 2 == 0
        shock = rng.normal()
        for t in range(periods):
            d = 1.0 if treated and t >= 6 else 0.0
            x = rng.normal()
            common = rng.normal()
            row = {"cluster": g + 1, "period": t + 1, "d": d, "x": round(x, 6)}
            for k, effect in enumerate([0.35, 0.15, 0.05, 0.0]):
                y = effect * d + 0.5 * x + 0.6 * shock + 0.5 * common + rng.normal()
                row[f"y{k + 1}"] = round(y, 6)
            rows.append(row)
    return pd.DataFrame(rows)


def rwolf_case():
    path = os.path.join(HERE, "rwolf_panel.csv")
    make_panel().to_csv(path, index=False)
    data = pd.read_csv(path)
    formula = "y1 + y2 + y3 + y4 ~ d + x"
    fits = pf.feols("sw(y1, y2, y3, y4) ~ d + x", data=data, vcov={"CRV1": "cluster"})
    reps, seed = 9999, 12
    table = pf.rwolf(fits, param="d", reps=reps, seed=seed)
    models = list(fits.all_fitted_models.values())
    t_stats = [float(m.tidy().loc["d", "t value"]) for m in models]
    p_raw = [float(m.tidy().loc["d", "Pr(>|t|)"]) for m in models]
    rw = [float(v) for v in table.loc["RW Pr(>|t|)"].values]
    wy_table = pf.wyoung(fits, param="d", reps=reps, seed=seed)
    wy = [float(v) for v in wy_table.loc["WY Pr(>|t|)"].values]
    return {
        "data": "rwolf_panel.csv",
        "formula": "c(y1, y2, y3, y4) ~ d + x",
        "pyfixest_formula": "sw(y1, y2, y3, y4) ~ d + x",
        "vcov": "cluster:cluster",
        "param": "d",
        "replicates": reps,
        "seed": seed,
        "bootstrap": "wild cluster, Rademacher weights, null imposed (WCR), CRV1 t statistics",
        "t_statistics": t_stats,
        "p_values": p_raw,
        "romano_wolf": rw,
        "westfall_young": wy,
    }


def main():
    out = {
        "generator": "make_multiplicity_reference.py",
        "statsmodels": statsmodels.__version__,
        "pyfixest": pf.__version__,
        "pvalue_cases": pvalue_cases(),
        "levels": LEVELS,
        "rwolf": rwolf_case(),
    }
    with open(os.path.join(HERE, "multiplicity_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
