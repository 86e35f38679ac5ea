"""Reference numbers for `quipu did --estimator etwfe` (Wooldridge's extended TWFE) on mpdta.

Runs diff-diff 3.13.0's `WooldridgeDiD` and writes etwfe_reference.json: every ATT(g,t) with its
standard error, the joint covariance of the cells, and the simple, group, calendar and event-time
aggregates with their standard errors. Configurations (Datasets/mpdta/mpdta.csv):

- linear_notyet: OLS on lemp, not-yet-treated controls (post-treatment cells only);
- linear_never: OLS on lemp, never-treated controls (every cell but g − 1: leads too);
- poisson_notyet: Poisson on exp(lemp), not-yet-treated controls;
- linear_lpop: linear_notyet with the time-invariant covariate lpop (diff-diff's `exovar`:
  cells × (lpop − cohort mean), periods × lpop, cohorts × lpop, lpop);
- logit_notyet: logit on high = 1{lemp > median(lemp)}, not-yet-treated controls;
- logit_lpop: logit on high40 = 1{lemp > 40th percentile} with lpop as `exovar`;
- poisson_zeros: Poisson, not-yet-treated controls, on poisson_zeros_panel.csv (written here: 60
  firms × 2010–2015, cohorts 2012 and 2014 and never, Poisson counts, six firms whose outcome is
  zero throughout, two in each cohort): the level ATT averages over the all-zero firms too.

Usage: python3 make_etwfe_reference.py (paths resolve from this file; see README.md).
"""

import json
import os
import sys
from pathlib import Path

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import warnings

import numpy as np
import pandas as pd
import diff_diff
from diff_diff import WooldridgeDiD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
data = pd.read_csv(ROOT / "Datasets" / "mpdta" / "mpdta.csv")
data = data.rename(columns={"first.treat": "first_treat"})
data["emp"] = np.exp(data["lemp"])
# The binary outcome of the logit: lemp above its median (strictly; 2,500 rows, so the median is
# the mean of the two middle values and no row equals it).
MEDIAN = float(np.median(data["lemp"]))
data["high"] = (data["lemp"] > MEDIAN).astype(int)
# With lpop, the median split leaves cohort 2004's first cells (nearly) separated: diff-diff's
# coefficients diverge there (ATT(2004,2004) ≈ 4e-11) and Quipu refuses such a logit, so the
# covariate configuration splits at the 40th percentile instead (numpy's linear interpolation).
Q40 = float(np.quantile(data["lemp"], 0.4))
data["high40"] = (data["lemp"] > Q40).astype(int)


def zeros_panel():
    """A balanced firm-year panel of Poisson counts with all-zero firms in every cohort."""
    rng = np.random.default_rng(20261207)
    rows = []
    for firm in range(60):
        cohort = 2012 if firm < 15 else 2014 if firm < 30 else 0
        level = rng.uniform(-0.5, 1.0)
        for year in range(2010, 2016):
            effect = 0.2 + 0.15 * (year - cohort) if cohort and year >= cohort else 0.0
            mean = np.exp(level + 0.1 * (year - 2010) + effect)
            y = 0 if firm % 15 in (0, 1) else int(rng.poisson(mean))
            rows.append((firm, year, cohort, y))
    return pd.DataFrame(rows, columns=["firm", "year", "first_treat", "y"])


def run(method, control, outcome, exovar=None, frame=None, unit="countyreal"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = WooldridgeDiD(method=method, control_group=control, cluster=unit)
        res = est.fit(data if frame is None else frame, outcome=outcome, unit=unit, time="year", first_treat="first_treat",
                      exovar=exovar)
        for kind in ("group", "calendar", "event_study"):
            res.aggregate(kind)
    keys = list(res._gt_keys)
    cells = [{"group": int(g), "time": int(t), "estimate": float(res.group_time_effects[(g, t)]["att"]),
              "std_error": float(res.group_time_effects[(g, t)]["se"]), "n_obs": int(res._gt_weights[(g, t)])}
             for (g, t) in keys]
    def table(effects, key):
        return [{key: int(k), "estimate": float(v["att"]), "std_error": float(v["se"])}
                for k, v in sorted(effects.items())]
    return {
        "method": method, "control_group": control, "outcome": outcome, "n_obs": int(res.n_obs),
        "n_clusters": int(res.n_clusters),
        "cells": cells,
        "cell_covariance": np.asarray(res._gt_vcov).tolist(),
        "simple": {"estimate": float(res.overall_att), "std_error": float(res.overall_se)},
        "group": table(res.group_effects, "group"),
        "calendar": table(res.calendar_effects, "time"),
        "dynamic": table(res.event_study_effects, "event_time"),
    }


reference = {
    "generator": "Tests/Fixtures/etwfe/make_etwfe_reference.py",
    "versions": {"python": sys.version.split()[0], "diff_diff": diff_diff.__version__,
                 "numpy": np.__version__, "pandas": pd.__version__},
    "data": "Datasets/mpdta/mpdta.csv (emp = exp(lemp))",
    "linear_notyet": run("ols", "not_yet_treated", "lemp"),
    "linear_never": run("ols", "never_treated", "lemp"),
    "poisson_notyet": run("poisson", "not_yet_treated", "emp"),
    "linear_lpop": run("ols", "not_yet_treated", "lemp", exovar=["lpop"]),
    "logit_notyet": dict(run("logit", "not_yet_treated", "high"), threshold=MEDIAN),
    "logit_lpop": dict(run("logit", "not_yet_treated", "high40", exovar=["lpop"]), threshold=Q40),
}
zeros = zeros_panel()
zeros.to_csv(HERE / "poisson_zeros_panel.csv", index=False)
reference["poisson_zeros"] = dict(run("poisson", "not_yet_treated", "y", frame=zeros, unit="firm"),
                                  data="Tests/Fixtures/etwfe/poisson_zeros_panel.csv")
(HERE / "etwfe_reference.json").write_text(json.dumps(reference, indent=1, sort_keys=False) + "\n")
print("wrote", HERE / "etwfe_reference.json")
