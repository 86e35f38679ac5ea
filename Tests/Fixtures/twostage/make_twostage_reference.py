#!/usr/bin/env python3
"""Reference numbers for Quipu's two-stage DiD (`--estimator twostage`) with extra fixed effects.

Gardner's two-stage DiD (R did2s; pyfixest.did2s) with a first stage of unit + year + an
interacted fixed effect, on two panels:

  df_het   pyfixest's bundled did2s example data (pyfixest/did/data/df_het.csv, its first 500 of 1,500 units,
           1990-2020, cohorts 2000 and 2010, never treated coded 0), outcome dep_var,
           first stage ~ 0 | unit + year + year^state. The columns Quipu needs are written to
           df_het.csv beside this script.
  peru     Datasets/peru-natural-ingredients/peru.csv, PUM (pum_cohort, 0 = never), outcome
           log(emp_permanent) on rows with emp_permanent > 0, first stage
           ~ 0 | firm_id + year + year^size_class (the issue-25 specification); the cohort 2004,
           treated from the panel's first year, has no untreated row and is left out (as Quipu
           does, with a note).

Each panel gives the overall effect (second stage ~ 0 + D) and one per horizon
(~ 0 + i(h)), with pyfixest's did2s GMM standard errors clustered by unit, and the same numbers
from an exact sparse computation of the did2s formulas (pyfixest's first stage solves its fixed
effects iteratively, to about 1e-6): the script asserts that the two agree and the JSON keeps both.
Run with the packages of requirements.txt:  python3 make_twostage_reference.py
"""
from __future__ import annotations

import functools
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pyfixest.did.did2s  # noqa: F401  (module object patched in did2s below)
import scipy
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
# pyfixest solves the first-stage fixed effects iteratively (lsqr): on Peru its estimates sit up to
# about 1e-5 (absolute, 6e-4 relative overall) from the exact ones, as in Tests/Fixtures/staggered
# (its pyfixest_did2s_estimate_rel); the check is |difference| <= TOL_ESTIMATE x the standard error
# (a numerical error far below the sampling error), and TOL_SE relative on the standard errors.
TOL_ESTIMATE, TOL_SE = 2e-3, 1e-4


def did2s(d: pd.DataFrame, unit: str, extra: str, second: str):
    """pyfixest did2s; its first stage keeps singletons (pyfixest issue #1244, as in
    Tests/Fixtures/staggered/make_staggered_reference.py)."""
    mod = sys.modules["pyfixest.did.did2s"]
    orig = mod.feols
    mod.feols = functools.partial(orig, fixef_rm="none")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # pyfixest 0.60's did2s cannot predict from a '^' fixed effect (fixef() refuses it), so the
            # interaction enters as one factor of its own, `ys` (the same fixed effect).
            return pf.did2s(d, yname="y", first_stage=f"~ 0 | {unit} + year + ys", second_stage=second,
                            treatment="is_treated", cluster=unit)
    finally:
        mod.feols = orig


def dummies(d: pd.DataFrame, columns: list[str]) -> sp.csr_matrix:
    blocks = []
    for c in columns:
        codes, levels = pd.factorize(d[c], sort=True)
        blocks.append(sp.csr_matrix((np.ones(len(d)), (np.arange(len(d)), codes)), shape=(len(d), len(levels))))
    return sp.hstack(blocks).tocsr()


def exact(d: pd.DataFrame, unit: str, fe: list[str]) -> dict:
    """The did2s estimates and GMM SEs from their formulas, with an exact first stage."""
    Z = dummies(d, [unit, "year"] + fe)
    untr = ~d["is_treated"].to_numpy(bool)
    y = d["y"].to_numpy(float)
    Z0 = Z[untr]
    gram = (Z0.T @ Z0).toarray()
    pinv = np.linalg.pinv(gram, rcond=1e-10, hermitian=True)
    coef = pinv @ (Z0.T @ y[untr])
    u1 = y - Z @ coef
    X10 = sp.diags(untr.astype(float)) @ Z
    cl = pd.factorize(d[unit])[0]
    G = cl.max() + 1
    horizons = sorted(d.loc[~untr, "h"].unique())
    out = {}
    for name, x2 in [("overall", (~untr).astype(float))] + [(int(h), ((~untr) & (d["h"] == h)).astype(float).to_numpy()) for h in horizons]:
        x2 = np.asarray(x2, float)
        n = x2.sum()
        beta = (x2 @ u1) / n
        u2 = u1 - x2 * beta
        gamma = pinv @ (Z.T @ x2)
        A = np.bincount(cl, weights=x2 * u2, minlength=G)
        B = np.bincount(cl, weights=(X10 @ gamma) * u1, minlength=G)
        se = np.sqrt(((A - B) ** 2).sum()) / n
        out[name] = (float(beta), float(se), int(n))
    return out


def panel(d: pd.DataFrame, unit: str, extra: str, fe_columns: list[str]) -> dict:
    d = d.copy()
    d["is_treated"] = (d["g"] > 0) & (d["year"] >= d["g"])
    d["D"] = d["is_treated"].astype(float)
    d["h"] = np.where(d["is_treated"], d["year"] - d["g"], -1000).astype(int)
    f_all = did2s(d, unit, extra, "~ 0 + D")
    f_h = did2s(d, unit, extra, "~ 0 + i(h, ref=-1000)")
    ex = exact(d, unit, fe_columns)
    rows = []
    horizons = sorted(d.loc[d["is_treated"], "h"].unique())
    for j, h in enumerate(horizons):
        b, s, n = ex[int(h)]
        rows.append({"event_time": int(h), "estimate": b, "std_error": s, "n": n,
                     "pyfixest_did2s": {"estimate": float(f_h._beta_hat[j]), "std_error": float(f_h._se[j])}})
    b, s, n = ex["overall"]
    overall = {"estimate": b, "std_error": s, "n": n,
               "pyfixest_did2s": {"estimate": float(f_all._beta_hat[0]), "std_error": float(f_all._se[0])}}
    for r in [overall] + rows:
        p = r["pyfixest_did2s"]
        assert abs(p["estimate"] - r["estimate"]) <= TOL_ESTIMATE * r["std_error"], (p, r)
        assert abs(p["std_error"] - r["std_error"]) <= TOL_SE * r["std_error"], (p, r)
    return {"nobs": int(len(d)), "n_units": int(d[unit].nunique()),
            "n_treated_units": int(d.loc[d["is_treated"], unit].nunique()),
            "first_stage": f"~ 0 | {unit} + year + {extra}",
            "overall": overall, "by_event_time": rows}


def main() -> int:
    import pyfixest.did as did_module
    het = pd.read_csv(os.path.join(os.path.dirname(did_module.__file__), "data", "df_het.csv"))
    # The first 500 of its 1,500 units (all three cohorts among them), to keep the committed copy small.
    het = het[het["unit"] <= 500][["unit", "year", "g", "state", "dep_var"]].sort_values(["unit", "year"]).reset_index(drop=True)
    het.to_csv(os.path.join(HERE, "df_het.csv"), index=False)
    het = pd.read_csv(os.path.join(HERE, "df_het.csv"))  # the numbers Quipu reads
    het["y"] = het["dep_var"]

    peru = pd.read_csv(os.path.join(REPO, "Datasets/peru-natural-ingredients/peru.csv"))
    peru = peru[peru["emp_permanent"] > 0].copy()
    peru["y"] = np.log(peru["emp_permanent"])
    peru["g"] = peru["pum_cohort"]
    first = peru["year"].min()
    peru = peru[~((peru["g"] > 0) & (peru["g"] <= first))].reset_index(drop=True)

    result = {
        "generator": "Tests/Fixtures/twostage/make_twostage_reference.py",
        "versions": {"python": sys.version.split()[0], "pyfixest": pf.__version__, "numpy": np.__version__,
                     "pandas": pd.__version__, "scipy": scipy.__version__},
        "variance": "did2s GMM: V = (X2'X2)^-1 sum_g W_g W_g' (X2'X2)^-1, W_g = X2_g'u2_g - (X2'X1)(X10'X10)^-1 X10_g'u1_g, "
                    "clustered by unit, no small-sample factor; estimate/std_error from the exact computation, "
                    "pyfixest_did2s from pf.did2s (first stage fixef_rm='none')",
    }
    # The interacted fixed effect as one factor (year x state, year x size class) for the exact computation.
    het["ys"] = het["year"].astype(str) + "_" + het["state"].astype(str)
    result["df_het"] = panel(het, "unit", "year^state", ["ys"])
    peru["ys"] = peru["year"].astype(str) + "_" + peru["size_class"].astype(str)
    result["peru"] = panel(peru, "firm_id", "year^size_class", ["ys"])
    with open(os.path.join(HERE, "twostage_reference.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=False)
        f.write("\n")
    for name in ["df_het", "peru"]:
        o = result[name]["overall"]
        print(f"{name}: {o['estimate']:.10f} ({o['std_error']:.10f}); pyfixest {o['pyfixest_did2s']['estimate']:.10f} "
              f"({o['pyfixest_did2s']['std_error']:.10f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
