#!/usr/bin/env python3
"""Generate the pyfixest `fepois` reference fixtures for Quipu's Poisson tests.

    pip install -r Tests/Fixtures/fepois/requirements.txt
    python3 Tests/Fixtures/fepois/make_fepois_reference.py

Writes, next to this script:
  poisson_panel.csv        deterministic synthetic exporter panel (numpy default_rng(20261130)):
                           ~40% zero outcomes, firms whose outcome is zero in every year, a
                           regressor `xsep` positive only where y = 0 (separation)
  fepois_reference.json    pyfixest 0.60.0 fepois estimates, standard errors, z statistics,
                           p-values, 95% intervals, N, log-likelihood, deviance, pseudo R2

Each case is fitted by pyfixest on the data as read back from the CSV, so that the Swift side,
reading the same file, sees the same numbers. The IRLS and the demeaning are run to much tighter
tolerances than pyfixest's defaults (iwls_tol 1e-13, fixef_tol 1e-13), so the references are the
Poisson estimates themselves, not a stopped iteration. Every coefficient vector is cross-checked
against an independent fit: statsmodels' GLM Poisson with explicit fixed-effect dummies on the
same sample (the script fails if they differ by more than 1e-7 relative).
"""
from __future__ import annotations

import json
import os
import platform
import sys
import warnings
from importlib.metadata import version

# pyfixest's results move in the last bits with Python's hash seed; pin it for byte-identical runs.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import pandas as pd
import pyfixest as pf
import statsmodels.api as sm
from pyfixest.demeaners import MapDemeaner

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_REL = "Tests/Fixtures/fepois/poisson_panel.csv"
DATA = os.path.join(HERE, "poisson_panel.csv")
OUT_JSON = os.path.join(HERE, "fepois_reference.json")
SEED = 20261130

SSC = pf.ssc(k_adj=True, k_fixef="nonnested", G_adj=True, G_df="min")
DEMEANER = MapDemeaner(fixef_tol=1e-13, fixef_maxiter=200_000)
IWLS_TOL = 1e-13

TOLERANCES = {"estimate_rel": 1e-6, "std_error_rel": 1e-5, "p_value_abs": 1e-6, "loglik_rel": 1e-9}


def make_panel() -> pd.DataFrame:
    """300 firms x 10 years (unbalanced), outcome with ~40% zeros."""
    rng = np.random.default_rng(SEED)
    n_firms, years = 300, np.arange(2010, 2020)
    f = np.repeat(np.arange(n_firms), len(years))
    t = np.tile(np.arange(len(years)), n_firms)
    n = len(f)
    firm_fe = rng.normal(0.0, 1.0, n_firms)
    year_fe = rng.normal(0.0, 0.3, len(years))
    port = rng.integers(1, 7, n)  # a third factor varying within firm
    port_fe = rng.normal(0.0, 0.4, 7)
    treated = rng.random(n_firms) < 0.4
    x1 = 0.5 * firm_fe[f] + rng.normal(0.0, 1.0, n)
    treat = (treated[f] & (years[t] >= 2015)).astype(int)
    eta = -0.3 + 0.4 * x1 + 0.3 * treat + firm_fe[f] + year_fe[t] + port_fe[port]
    y = rng.poisson(np.exp(eta)).astype(float)
    # firms that never export: an all-zero fixed-effect group each
    never = rng.choice(n_firms, size=12, replace=False)
    y[np.isin(f, never)] = 0.0
    # amounts, not counts: PPML takes any y >= 0
    y = np.round(y * rng.uniform(0.5, 1.5, n) * 100.0) / 100.0
    w = np.round(rng.uniform(0.5, 3.0, n), 3)
    # separation: positive only on some rows where y == 0, zero elsewhere
    xsep = np.where((y == 0) & (rng.random(n) < 0.15), np.round(rng.uniform(0.5, 2.0, n), 3), 0.0)
    df = pd.DataFrame({"firm": f + 1, "year": years[t], "port": port, "x1": np.round(x1, 6),
                       "treat": treat, "w": w, "xsep": xsep, "y": y})
    keep = rng.random(n) >= 0.06
    return df[keep].reset_index(drop=True)


CASES = [
    dict(name="fe2_iid", formula="y ~ x1 + treat | firm + year", vcov="iid"),
    dict(name="fe2_hetero", formula="y ~ x1 + treat | firm + year", vcov="hetero"),
    dict(name="fe2_cluster_firm", formula="y ~ x1 + treat | firm + year", vcov="cluster:firm"),
    dict(name="fe2_cluster_firm_year", formula="y ~ x1 + treat | firm + year", vcov="cluster:firm+year"),
    dict(name="fe2_weights_cluster_firm", formula="y ~ x1 + treat | firm + year", vcov="cluster:firm", weights="w"),
    dict(name="fe2_weights_iid", formula="y ~ x1 + treat | firm + year", vcov="iid", weights="w"),
    dict(name="fe3_cluster_firm", formula="y ~ x1 + treat | firm + year + port", vcov="cluster:firm"),
    dict(name="no_fe_hetero", formula="y ~ x1 + treat", vcov="hetero"),
    # The all-zero firms are dropped in every case above (pyfixest's "fe" check); here the only
    # fixed effect is the firm, so the drop is the whole story of the sample.
    dict(name="fe1_all_zero_groups_iid", formula="y ~ x1 + treat | firm", vcov="iid"),
    # Separation: xsep > 0 only where y = 0. pyfixest's rectifier ("ir") check drops those rows;
    # xsep is then zero throughout and dropped as collinear.
    dict(name="separation_cluster_firm", formula="y ~ x1 + treat + xsep | firm + year", vcov="cluster:firm",
         separation=["fe", "ir"]),
]


def pyfixest_vcov(spec: str):
    if spec in ("iid", "hetero"):
        return spec
    names = spec.split(":", 1)[1]
    return {"CRV1": names}


def independent_coefficients(data: pd.DataFrame, fit, formula: str, weights: str | None) -> np.ndarray:
    """statsmodels GLM Poisson on pyfixest's estimation sample with explicit dummies."""
    lhs, rhs = formula.split("~")
    parts = rhs.split("|")
    terms = [v.strip() for v in parts[0].split("+")]
    fes = [v.strip() for v in parts[1].split("+")] if len(parts) > 1 else []
    sample = data.loc[fit._data.index]
    X = sample[[v for v in terms if v in fit._coefnames]].astype(float)
    for fe in fes:
        X = X.join(pd.get_dummies(sample[fe], prefix=fe, drop_first=True, dtype=float))
    X = sm.add_constant(X, has_constant="add")
    glm = sm.GLM(sample[lhs.strip()].astype(float), X, family=sm.families.Poisson(),
                 freq_weights=None if weights is None else sample[weights].to_numpy(dtype=float))
    result = glm.fit(tol=1e-14, maxiter=200)
    return result.params.rename({"const": "Intercept"})[fit._coefnames].to_numpy()


def main() -> None:
    make_panel().to_csv(DATA, index=False, lineterminator="\n")
    data = pd.read_csv(DATA)
    cases = []
    for case in CASES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = pf.fepois(case["formula"], data=data, vcov=pyfixest_vcov(case["vcov"]), weights=case.get("weights"),
                            ssc=SSC, iwls_tol=IWLS_TOL, iwls_maxiter=200, demeaner=DEMEANER,
                            separation_check=case.get("separation", ["fe"]))
        tidy = fit.tidy()
        check = independent_coefficients(data, fit, case["formula"], case.get("weights"))
        gap = np.max(np.abs(check - fit._beta_hat) / np.maximum(np.abs(fit._beta_hat), 1e-12))
        assert gap < 1e-7, f"{case['name']}: statsmodels disagrees with pyfixest ({gap})"
        entry = {
            "name": case["name"], "data": DATA_REL, "formula": case["formula"], "vcov": case["vcov"],
            "weights": case.get("weights"), "separation": case.get("separation", ["fe"]),
            "nobs": int(fit._N),
            "n_clusters": int(np.min(fit._G)) if case["vcov"].startswith("cluster") else None,
            "collinear": list(fit._collin_vars),
            "log_likelihood": float(fit._loglik),
            "pseudo_r2": None if fit._pseudo_r2 is None else float(fit._pseudo_r2),
            "deviance": float(fit.deviance),
            "independent_check_max_rel_gap": float(gap),
            "coefficients": [
                {"term": "(Intercept)" if term == "Intercept" else term, "estimate": float(row["Estimate"]), "std_error": float(row["Std. Error"]),
                 "statistic": float(row["t value"]), "p_value": float(row["Pr(>|t|)"]),
                 "conf_low": float(row["2.5%"]), "conf_high": float(row["97.5%"])}
                for term, row in tidy.iterrows()
            ],
        }
        cases.append(entry)
    versions = {"python": platform.python_version()}
    for package in ("pyfixest", "numpy", "pandas", "scipy", "statsmodels", "formulaic", "narwhals"):
        versions[package] = version(package)
    reference = {
        "generator": "Tests/Fixtures/fepois/make_fepois_reference.py",
        "versions": versions,
        "tolerances": TOLERANCES,
        "settings": {"iwls_tol": IWLS_TOL, "fixef_tol": 1e-13, "ssc": "k_adj, nonnested, G_adj, G_df=min",
                     "inference": "normal (z), as pyfixest and fixest for GLMs"},
        "cases": cases,
    }
    with open(OUT_JSON, "w") as handle:
        json.dump(reference, handle, indent=1)
        handle.write("\n")
    for entry in cases:
        print(entry["name"], entry["nobs"], [(c["term"], round(c["estimate"], 6), round(c["std_error"], 6)) for c in entry["coefficients"]])


if __name__ == "__main__":
    main()
