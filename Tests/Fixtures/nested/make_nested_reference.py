#!/usr/bin/env python3
"""Reference values for fixed effects nested in the cluster variable (issue 19, point 13).

    pip install -r Tests/Fixtures/nested/requirements.txt
    python3 Tests/Fixtures/nested/make_nested_reference.py

Writes, next to this script:
  nested_panel.csv        a deterministic firm panel (numpy default_rng(20261207)): 120 firms, each
                          in one of 8 countries and one of 3 sectors; even firms are observed in
                          2010-2014, odd firms in 2015-2019, so the firm-year graph has two
                          connected components; outcome `y` (continuous) and `n` (counts)
  nested_reference.json   pyfixest 0.60.0 feols / fepois estimates and clustered standard errors,
                          with the small-sample K of each case

The cases are those where fixed effects nested in a cluster variable are also redundant (the same
levels twice, `firm + country^firm`; several nested effects; a disconnected firm-year graph), where
Quipu used to subtract the redundant levels a second time. Each case's K is also computed here
from fixest 0.12.2's rule as written in R/VCOV.R (`ssc(fixef.K = "nested")`, the default):
K = coefficients + sum(levels) - (#FE - 1); when some fixed effect is nested in a cluster variable,
K - sum over nested of (levels - 1), or coefficients + 1 when every fixed effect is nested; then at
least coefficients + 1. The script fails unless pyfixest's K (`_df_k`) equals it.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import warnings
from importlib.metadata import version

if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import pandas as pd
import pyfixest as pf
from pyfixest.demeaners import MapDemeaner

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_REL = "Tests/Fixtures/nested/nested_panel.csv"
DATA = os.path.join(HERE, "nested_panel.csv")
OUT_JSON = os.path.join(HERE, "nested_reference.json")
SEED = 20261207

SSC = pf.ssc(k_adj=True, k_fixef="nonnested", G_adj=True, G_df="min")
DEMEANER = MapDemeaner(fixef_tol=1e-13, fixef_maxiter=200_000)
TOLERANCES = {"feols": {"estimate_rel": 1e-8, "std_error_rel": 1e-6},
              "fepois": {"estimate_rel": 1e-6, "std_error_rel": 1e-5}}

CASES = [
    # The example: country^firm has the same levels as firm, both nested in country.
    dict(name="feols_firm_countryfirm_cl_country", model="feols", formula="y ~ x2 | firm + country^firm", vcov="cluster:country"),
    dict(name="feols_firm_cl_country", model="feols", formula="y ~ x2 | firm", vcov="cluster:country"),
    dict(name="feols_firm_countryfirm_year_cl_country", model="feols", formula="y ~ x2 | firm + country^firm + year", vcov="cluster:country"),
    # Three fixed effects, two nested (country, firm), year not.
    dict(name="feols_country_firm_year_cl_country", model="feols", formula="y ~ x1 + x2 | country + firm + year", vcov="cluster:country"),
    # Firm nested in the clusters, the firm-year graph disconnected (one redundant level more).
    dict(name="feols_firm_year_cl_firm", model="feols", formula="y ~ x1 + x2 | firm + year", vcov="cluster:firm"),
    # Three fixed effects, firm nested, year and sector not (their graph is connected).
    dict(name="feols_firm_year_sector_cl_firm", model="feols", formula="y ~ x1 + x2 | firm + year + sector", vcov="cluster:firm"),
    # Two-way clustering: firm nested in country, year in year: every fixed effect nested.
    dict(name="feols_firm_year_cl_country_year", model="feols", formula="y ~ x1 + x2 | firm + year", vcov="cluster:country+year"),
    dict(name="fepois_firm_countryfirm_cl_country", model="fepois", formula="n ~ x2 | firm + country^firm", vcov="cluster:country"),
    dict(name="fepois_firm_cl_country", model="fepois", formula="n ~ x2 | firm", vcov="cluster:country"),
    dict(name="fepois_country_firm_year_cl_country", model="fepois", formula="n ~ x1 + x2 | country + firm + year", vcov="cluster:country"),
]


def make_panel() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    firms = 120
    country = rng.integers(1, 9, firms)
    sector = rng.integers(1, 4, firms)
    firm_effect = rng.normal(0.0, 1.0, firms)
    country_shock = rng.normal(0.0, 0.5, 9)
    rows = []
    for firm in range(firms):
        start = 2010 if firm % 2 == 0 else 2015
        for year in range(start, start + 5):
            rows.append((firm + 1, int(country[firm]), int(sector[firm]), year))
    df = pd.DataFrame(rows, columns=["firm", "country", "sector", "year"])
    n = len(df)
    f = df["firm"].to_numpy() - 1
    c = df["country"].to_numpy()
    year_effect = 0.1 * (df["year"].to_numpy() - 2010)
    x1 = 0.5 * firm_effect[f] + rng.normal(0.0, 1.0, n)
    x2 = country_shock[c] + rng.normal(0.0, 1.0, n)
    # Errors correlated within countries, so clustering matters.
    error = country_shock[c] * rng.normal(0.0, 1.0, n) + rng.normal(0.0, 1.0, n)
    df["x1"] = np.round(x1, 6)
    df["x2"] = np.round(x2, 6)
    df["y"] = np.round(0.5 * x1 - 0.3 * x2 + firm_effect[f] + year_effect + error, 6)
    df["n"] = rng.poisson(np.exp(0.5 + 0.2 * x1 - 0.1 * x2 + 0.5 * firm_effect[f] + 0.3 * country_shock[c]))
    return df


def fixest_k(coefficients: int, sizes: list[int], nested: list[bool]) -> int:
    """fixest 0.12.2 R/VCOV.R, ssc(fixef.K = "nested", fixef.force_exact = FALSE)."""
    k = coefficients + sum(sizes) - (len(sizes) - 1)
    if any(nested):
        if all(nested):
            k = k - (sum(sizes) - (len(sizes) - 1)) + 1
        else:
            k = k - sum(size - 1 for size, flag in zip(sizes, nested) if flag)
        k = max(k, coefficients + 1)
    return k


def is_nested(fe: pd.Series, cluster: pd.Series) -> bool:
    return bool((pd.DataFrame({"fe": fe.to_numpy(), "cl": cluster.to_numpy()}).groupby("fe")["cl"].nunique() == 1).all())


def fixed_effect_column(data: pd.DataFrame, name: str) -> pd.Series:
    parts = name.split("^")
    return data[parts].astype(str).agg("_".join, axis=1) if len(parts) > 1 else data[name]


def main() -> None:
    make_panel().to_csv(DATA, index=False, lineterminator="\n")
    data = pd.read_csv(DATA)
    cases = []
    for case in CASES:
        clusters = case["vcov"].split(":", 1)[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case["model"] == "feols":
                fit = pf.feols(case["formula"], data=data, vcov={"CRV1": clusters}, ssc=SSC, demeaner=DEMEANER)
            else:
                fit = pf.fepois(case["formula"], data=data, vcov={"CRV1": clusters}, ssc=SSC, demeaner=DEMEANER,
                                iwls_tol=1e-13, iwls_maxiter=200)
        sample = data.loc[fit._data.index]
        fixed_effects = [name.strip() for name in case["formula"].split("|")[1].split("+")]
        sizes = [int(fixed_effect_column(sample, name).nunique()) for name in fixed_effects]
        nested = [any(is_nested(fixed_effect_column(sample, name), sample[cl]) for cl in clusters.split("+")) for name in fixed_effects]
        k = fixest_k(len(fit._coefnames), sizes, nested)
        assert int(fit._df_k) == k, f"{case['name']}: pyfixest K {fit._df_k} != fixest rule {k}"
        tidy = fit.tidy()
        cases.append({
            "name": case["name"], "model": case["model"], "data": DATA_REL, "formula": case["formula"],
            "vcov": case["vcov"], "nobs": int(fit._N), "n_clusters": int(np.min(fit._G)),
            "fixed_effects": fixed_effects, "fixed_effect_levels": sizes, "nested_in_cluster": nested,
            "k_fixest": k,
            "coefficients": [{"term": term, "estimate": float(row["Estimate"]), "std_error": float(row["Std. Error"])}
                             for term, row in tidy.iterrows()],
        })
    versions = {"python": platform.python_version()}
    for package in ("pyfixest", "numpy", "pandas", "scipy", "formulaic", "narwhals"):
        versions[package] = version(package)
    reference = {
        "generator": "Tests/Fixtures/nested/make_nested_reference.py",
        "versions": versions,
        "tolerances": TOLERANCES,
        "settings": {"fixef_tol": 1e-13, "iwls_tol (fepois)": 1e-13,
                     "ssc": "k_adj, nonnested (fixest's fixef.K = nested), G_adj, G_df=min"},
        "cases": cases,
    }
    with open(OUT_JSON, "w") as handle:
        json.dump(reference, handle, indent=1)
        handle.write("\n")
    for entry in cases:
        print(entry["name"], entry["nobs"], "K", entry["k_fixest"], entry["nested_in_cluster"],
              [(c["term"], round(c["estimate"], 6), round(c["std_error"], 6)) for c in entry["coefficients"]])


if __name__ == "__main__":
    main()
