#!/usr/bin/env python3
"""Wild cluster bootstrap reference numbers for Quipu, from pyfixest + wildboottest.

Writes, next to this script:
  jtrain_sub10.csv, jtrain_sub12.csv   small jtrain subsamples (10 and 12 firms) used for the
                                       full-enumeration cases
  wildboot_reference.json              the reference numbers

Run:  pip install -r Tests/Fixtures/wildboot/requirements.txt
      python3 Tests/Fixtures/wildboot/make_wildboot_reference.py

Every p-value comes from pyfixest's `Feols.wildboottest(...)`, which calls the PyPI package
`wildboottest`. For each case and seed the script also
  * re-runs `wildboottest.WildboottestCL` directly on the same inputs (same seed, hence the same
    draws) to get the equal-tailed p-value and the bootstrap t statistics, and checks that its
    symmetric p-value equals pyfixest's;
  * checks that the drawn weight matrix is `default_rng(seed).choice([-1, 1], G*B).reshape(G, B)`
    (Rademacher) as documented in README.md;
  * recomputes every bootstrap t statistic from scratch ("brute force": explicit dummy-variable
    design built with pandas, explicit bootstrap samples y*, explicit refits via the residual
    maker M = I - X(X'X)^-1 X') with the same weights, and checks agreement to 1e-9 relative,
    and that no draw's |t*| > |t| comparison differs except exact ties;
  * computes the p-value that a bootstrap of the *demeaned* data treated as plain OLS (fixed
    effects partialled out once, not re-partialled in each bootstrap sample) would give with the
    same draws, to show how much that convention differs (it is not what pyfixest does);
  * checks that absorbing only the fixed effect nested in the clusters (fcode) and keeping the
    other one (year) as dummy regressors reproduces pyfixest's t* exactly (up to the constant
    small-sample factor), i.e. the cheap implementation that matches pyfixest.
See README.md for the conventions.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import warnings
from pathlib import Path

# pyfixest's fixed-effects pipeline moves in the last bits with the string-hash seed; fix it
# (same convention as Tests/Fixtures/pyfixest/generate_feols.py).
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyfixest as pf  # noqa: E402
import wildboottest  # noqa: E402
from importlib.metadata import version  # noqa: E402
from wildboottest.wildboottest import WildboottestCL  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
JTRAIN = ROOT / "Datasets" / "jtrain" / "jtrain.csv"
OUT = HERE / "wildboot_reference.json"

BIG_B = 99_999
SMALL_B = 9_999


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def complete_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df.dropna(subset=["lscrap", "grant", "grant_1", "fcode", "year"])


def subsample(df: pd.DataFrame, n_firms: int) -> pd.DataFrame:
    """n_firms firms taken round-robin from three cohorts, each in ascending fcode order:
    firms with grant = 1 in 1988, firms with grant = 1 in 1989, never-treated firms.
    (The first firms by fcode alone are all never treated, so grant would be all zero.)"""
    c = complete_rows(df)
    first = c[c.grant == 1].groupby("fcode").year.min()
    firms = sorted(c.fcode.unique())
    cohorts = [
        [f for f in firms if first.get(f) == 1988],
        [f for f in firms if first.get(f) == 1989],
        [f for f in firms if f not in first.index],
    ]
    chosen: list[int] = []
    i = 0
    while len(chosen) < n_firms:
        cohort = cohorts[i % 3]
        k = i // 3
        if k < len(cohort):
            chosen.append(cohort[k])
        i += 1
    sub = c[c.fcode.isin(chosen)][["year", "fcode", "lscrap", "grant", "grant_1"]]
    return sub.sort_values(["fcode", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Independent recomputation
# --------------------------------------------------------------------------------------------

def design(data: pd.DataFrame, spec: dict) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Dummy-variable design built with pandas only: intercept, regressors, then for every
    fixed effect and every i(var, ref) term one indicator per level except the first/ref."""
    d = data.dropna(subset=[spec["y"], *spec["x"], *spec["fe"], *spec["dummies"], spec["cluster"]])
    cols = [np.ones(len(d))]
    names = ["Intercept"]
    for x in spec["x"]:
        cols.append(d[x].to_numpy(float))
        names.append(x)
    for var in [*spec["fe"], *spec["dummies"]]:
        levels = sorted(d[var].unique())
        for lev in levels[1:]:
            cols.append((d[var] == lev).to_numpy(float))
            names.append(f"{var}={lev}")
    X = np.column_stack(cols)
    y = d[spec["y"]].to_numpy(float)
    return y, X, names, d[spec["cluster"]].to_numpy()


def brute_force_tstats(y, X, names, cl, param, impose_null, V, clust_ids):
    """t and t* for H0: beta[param] = 0, CRV1 with wildboottest's factor, explicit refits.

    V is G x B (rows in the order of clust_ids = np.unique(cluster))."""
    N, k = X.shape
    j = names.index(param)
    XtXinv = np.linalg.inv(X.T @ X)
    A = XtXinv @ X.T                      # k x N; row j gives beta_j = a @ y
    a = A[j]
    beta = A @ y
    uhat = y - X @ beta
    gidx = np.searchsorted(clust_ids, cl)
    G = len(clust_ids)
    ssc = (N - 1) / (N - k) * G / (G - 1)
    S = np.zeros((G, N))
    S[gidx, np.arange(N)] = a             # S @ u = per-cluster sums of a_i u_i
    se = np.sqrt(ssc * np.sum((S @ uhat) ** 2))
    t = beta[j] / se
    if impose_null:
        # restricted fit: drop column j
        Xr = np.delete(X, j, axis=1)
        br, *_ = np.linalg.lstsq(Xr, y, rcond=None)
        fitted = Xr @ br
        base = 0.0                        # beta_j under H0
    else:
        fitted = X @ beta
        base = beta[j]
    u0 = y - fitted
    M = np.eye(N) - X @ A                 # residual maker of the full dummy design
    tstar = np.empty(V.shape[1])
    step = 20_000
    for s in range(0, V.shape[1], step):
        W = V[gidx, s:s + step] * u0[:, None]          # v_g(i) * u0_i
        ystar = fitted[:, None] + W                     # bootstrap samples, N x b
        bstar = a @ ystar                               # refitted beta_j
        ustar = M @ ystar                               # refitted residuals
        sestar = np.sqrt(ssc * np.sum((S @ ustar) ** 2, axis=0))
        tstar[s:s + step] = (bstar - base) / sestar
    return t, tstar, ssc, k


def plain_ols_tstats(yt, Xt, rnames, cl, param, impose_null, V, clust_ids):
    """t and t* (without small-sample factor) of a plain-OLS wild cluster bootstrap of (yt, Xt):
    y* = fitted + v_g(i) * u0_i, refit by OLS on Xt, CRV1 sandwich. Nothing is re-partialled."""
    j = rnames.index(param)
    A = np.linalg.inv(Xt.T @ Xt) @ Xt.T
    a = A[j]
    beta = A @ yt
    uhat = yt - Xt @ beta
    N = len(yt)
    gidx = np.searchsorted(clust_ids, cl)
    S = np.zeros((len(clust_ids), N))
    S[gidx, np.arange(N)] = a
    t = beta[j] / np.sqrt(np.sum((S @ uhat) ** 2))
    if impose_null:
        Xr = np.delete(Xt, j, axis=1)
        br, *_ = np.linalg.lstsq(Xr, yt, rcond=None)
        fitted = Xr @ br
        base = 0.0
    else:
        fitted = Xt @ beta
        base = beta[j]
    u0 = yt - fitted
    M = np.eye(N) - Xt @ A
    ystar = fitted[:, None] + V[gidx, :] * u0[:, None]
    tstar = (a @ ystar - base) / np.sqrt(np.sum((S @ (M @ ystar)) ** 2, axis=0))
    return t, tstar


def partial_out(D, *arrays):
    MD = np.eye(D.shape[0]) - D @ np.linalg.pinv(D)
    return [MD @ a for a in arrays]


def demeaned_plain_ols_pvalue(y, X, names, cl, param, impose_null, V, clust_ids, fe_cols):
    """The p-value of a *different* convention, for comparison only: partial the intercept and
    all fixed-effect dummies out of y and the regressors once, then bootstrap the demeaned data
    as plain OLS (bootstrap samples are NOT re-demeaned in each draw)."""
    keep = [c for c in range(X.shape[1]) if c not in fe_cols]
    yt, Xt = partial_out(X[:, fe_cols], y, X[:, keep])
    t, tstar = plain_ols_tstats(yt, Xt, [names[c] for c in keep], cl, param, impose_null, V, clust_ids)
    return float(np.mean(np.abs(t) < np.abs(tstar)))


def nested_absorbed_tstats(y, X, names, cl, param, impose_null, V, clust_ids, nested_fe, fe_cols):
    """Equivalent to pyfixest's dummy design: absorb only the fixed effect(s) nested in the
    bootstrap clusters (here fcode) once, keep the other fixed effects as dummy regressors, then
    bootstrap as plain OLS. Returns (t, t*) without small-sample factor."""
    nested_cols = [c for c in fe_cols if c != 0 and names[c].split("=")[0] in nested_fe]
    keep = [c for c in range(X.shape[1]) if c != 0 and c not in nested_cols]
    levels = np.unique(cl)
    Dn = (cl[:, None] == levels[None, :]).astype(float)   # all levels: spans the intercept
    yt, Xt = partial_out(Dn, y, X[:, keep])
    return plain_ols_tstats(yt, Xt, [names[c] for c in keep], cl, param, impose_null, V, clust_ids)


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

def spec_of(formula: str) -> dict:
    """Tiny parser for the formulas used here: 'y ~ a + b + i(v, ref=r) | f1 + f2'."""
    lhs, rhs = [s.strip() for s in formula.split("~")]
    fe: list[str] = []
    if "|" in rhs:
        rhs, fes = rhs.split("|")
        fe = [f.strip() for f in fes.split("+")]
    x, dummies = [], []
    for term in [t.strip() for t in rhs.split("+")]:
        if term.startswith("i("):
            dummies.append(term[2:].split(",")[0].strip())
        else:
            x.append(term)
    return {"y": lhs, "x": x, "fe": fe, "dummies": dummies}


FULL_FE = "lscrap ~ grant + grant_1 | fcode + year"
CASES = [
    # name, data key, formula, param, impose_null, weights, reps, seeds
    ("jtrain_fe_grant_wcr_rademacher", "full", FULL_FE, "grant", True, "rademacher", BIG_B, [1, 2, 3, 4, 42]),
    ("jtrain_fe_grant_wcr_webb", "full", FULL_FE, "grant", True, "webb", BIG_B, [1, 2, 42]),
    ("jtrain_fe_grant_wcu_rademacher", "full", FULL_FE, "grant", False, "rademacher", BIG_B, [1, 2, 42]),
    ("jtrain_fe_grant_1_wcr_rademacher", "full", FULL_FE, "grant_1", True, "rademacher", BIG_B, [1, 2, 42]),
    ("jtrain_nofe_grant_wcr_rademacher", "full", "lscrap ~ grant", "grant", True, "rademacher", BIG_B, [1, 2, 42]),
    ("jtrain_nofe_yeardummies_grant_wcr_rademacher", "full", "lscrap ~ grant + grant_1 + i(year, ref=1987)",
     "grant", True, "rademacher", BIG_B, [1, 2, 42]),
    # full enumeration: 2^G < B and Rademacher
    ("sub10_fe_grant_wcr_enum", "sub10", FULL_FE, "grant", True, "rademacher", SMALL_B, [42]),
    ("sub10_fe_grant_1_wcr_enum", "sub10", FULL_FE, "grant_1", True, "rademacher", SMALL_B, [42]),
    ("sub10_fe_grant_wcu_enum", "sub10", FULL_FE, "grant", False, "rademacher", SMALL_B, [42]),
    ("sub10_nofe_grant_wcr_enum", "sub10", "lscrap ~ grant", "grant", True, "rademacher", SMALL_B, [42]),
    ("sub12_fe_grant_wcr_enum", "sub12", FULL_FE, "grant", True, "rademacher", SMALL_B, [42]),
    ("sub12_fe_grant_1_wcr_enum", "sub12", FULL_FE, "grant_1", True, "rademacher", SMALL_B, [42]),
    # enumeration trigger boundaries: B = 2^G does not enumerate; Webb never enumerates
    ("sub10_fe_grant_wcr_B1024_random", "sub10", FULL_FE, "grant", True, "rademacher", 1024, [1, 2, 42]),
    ("sub10_fe_grant_wcr_B1025_enum", "sub10", FULL_FE, "grant", True, "rademacher", 1025, [42]),
    ("sub10_fe_grant_wcr_webb_random", "sub10", FULL_FE, "grant", True, "webb", SMALL_B, [1, 2, 42]),
]


def run_case(case, frames, files):
    name, key, formula, param, impose_null, wtype, reps, seeds = case
    data = frames[key]
    spec = spec_of(formula)
    spec["cluster"] = "fcode"
    fit = pf.feols(formula, data=data, vcov={"CRV1": "fcode"})
    tidy = fit.tidy()
    coef = float(tidy.loc[param, "Estimate"])
    t_pyfixest = float(tidy.loc[param, "t value"])

    # independent design
    y, Xd, dnames, cl = design(data, spec)
    clust_ids = np.unique(cl)
    G = len(clust_ids)
    assert len(y) == fit._N, (name, len(y), fit._N)

    # pyfixest's own matrices (what it hands to wildboottest)
    Y1, X1, xnames = fit._model_matrix_one_hot()
    X1 = np.asarray(X1)
    Y1 = np.asarray(Y1).flatten()
    assert X1.shape == Xd.shape, (name, X1.shape, Xd.shape)
    R = np.zeros(len(xnames))
    R[list(xnames).index(param)] = 1.0
    cluster_array = fit._data["fcode"].to_numpy().flatten()

    out = dict(p_values=[], p_values_equal_tailed=[], t_boot_checks=[])
    enum_flags = []
    alt_p = []
    exact = None
    for seed in seeds:
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            res = fit.wildboottest(reps=reps, param=param, weights_type=wtype,
                                   impose_null=impose_null, seed=seed)
        enum_warn = any("full_enumeration" in str(w.message) for w in wlist)
        p_pf = float(res["Pr(>|t|)"])
        t_wb = float(res["t value"])
        ssc_wb = float(res["ssc"])

        boot = WildboottestCL(X=X1, Y=Y1, cluster=cluster_array, R=R, B=reps, seed=seed, parallel=False)
        boot.get_scores(bootstrap_type="11", impose_null=impose_null, adj=True, cluster_adj=True)
        _, _, enum_direct = boot.get_weights(weights_type=wtype)
        boot.get_numer(); boot.get_denom(); boot.get_tboot(); boot.get_vcov(); boot.get_tstat()
        boot.get_pvalue("two-tailed")
        p_sym = float(boot.pvalue)
        assert p_sym == p_pf, (name, seed, p_sym, p_pf)
        assert enum_direct == enum_warn == bool(boot.full_enumeration), (name, enum_direct, enum_warn)
        boot.get_pvalue("equal-tailed")
        p_et = float(boot.pvalue)
        tboot = np.asarray(boot.t_boot, dtype=float)
        t_direct = float(np.asarray(boot.t_stat).ravel()[0])
        assert abs(t_direct - t_wb) <= 1e-12 * abs(t_wb)
        V = np.asarray(boot.v, dtype=float)

        # weight-matrix layout check
        if not boot.full_enumeration and wtype == "rademacher":
            Vchk = np.random.default_rng(seed).choice([-1, 1], size=G * reps, replace=True).reshape(G, reps)
            assert np.array_equal(Vchk, boot.v), name
        if not boot.full_enumeration and wtype == "webb":
            vals = np.concatenate([-np.sqrt(np.array([3, 2, 1]) / 2), np.sqrt(np.array([1, 2, 3]) / 2)])
            Vchk = np.random.default_rng(seed).choice(vals, size=G * reps, replace=True).reshape(G, reps)
            assert np.array_equal(Vchk, boot.v), name

        # brute force
        t_bf, tstar_bf, ssc_bf, k_bf = brute_force_tstats(y, Xd, dnames, cl, param, impose_null, V, clust_ids)
        assert abs(t_bf - t_wb) <= 1e-9 * abs(t_wb), (name, t_bf, t_wb)
        assert abs(ssc_bf - ssc_wb) <= 1e-14 * ssc_wb
        maxrel = float(np.max(np.abs(tstar_bf - tboot) / np.maximum(1.0, np.abs(tboot))))
        assert maxrel <= 1e-9, (name, maxrel)
        scale = abs(t_wb)
        ties = np.abs(np.abs(tstar_bf) - scale) <= 1e-9 * scale
        n_gt = int(np.sum((np.abs(tstar_bf) > scale) & ~ties))
        n_ties = int(np.sum(ties))
        n_wb = int(np.sum(np.abs(t_wb) < np.abs(tboot)))
        assert n_gt <= n_wb <= n_gt + n_ties, (name, n_gt, n_wb, n_ties)
        Bused = V.shape[1]
        assert round(p_pf * Bused) == n_wb

        fe_cols = [c for c, nm in enumerate(dnames) if "=" in nm and nm.split("=")[0] in spec["fe"]]
        if fe_cols:
            alt_p.append(demeaned_plain_ols_pvalue(y, Xd, dnames, cl, param, impose_null, V, clust_ids,
                                                   [0, *fe_cols]))
            # absorbing only the cluster-nested FE (fcode) and keeping year as dummies must
            # reproduce pyfixest's t* exactly, up to the constant small-sample factor
            t_n, tstar_n = nested_absorbed_tstats(y, Xd, dnames, cl, param, impose_null, V, clust_ids,
                                                  ["fcode"], fe_cols)
            d_n = float(np.max(np.abs(tstar_n / t_n - tboot / t_wb)))
            assert d_n <= 1e-9 * max(1.0, float(np.max(np.abs(tboot / t_wb)))), (name, d_n)
        out["p_values"].append(p_pf)
        out["p_values_equal_tailed"].append(p_et)
        out["t_boot_checks"].append({"seed": seed, "max_rel_diff_t_boot_vs_brute_force": maxrel,
                                     "n_abs_tstar_gt_abs_t": n_gt, "n_ties": n_ties,
                                     "n_counted_by_wildboottest": n_wb})
        enum_flags.append(bool(boot.full_enumeration))
        if boot.full_enumeration:
            exact = {
                "B_used": Bused,
                "count_strictly_greater": n_gt,
                "count_ties": n_ties,
                "count_counted_by_wildboottest": n_wb,
                "p_value_strict": n_gt / Bused,
                "p_value_ties_counted": (n_gt + n_ties) / Bused,
            }

    assert len(set(enum_flags)) == 1
    enum = enum_flags[0]
    Bused = 2 ** G if enum else reps
    ps = out["p_values"]
    pm = float(np.mean(ps))
    case = {
        "name": name,
        "data": files[key],
        "formula": formula,
        "cluster": "fcode",
        "param": param,
        "impose_null": impose_null,
        "bootstrap": "WCR" if impose_null else "WCU",
        "weights": wtype,
        "bootstrap_type": "11",
        "reps": reps,
        "reps_used": Bused,
        "seeds": seeds,
        "p_values": ps,
        "p_value_mean": pm,
        "mc_se": [float(np.sqrt(p * (1 - p) / Bused)) if not enum else 0.0 for p in ps],
        "mc_se_mean": 0.0 if enum else float(np.sqrt(pm * (1 - pm) / (Bused * len(ps)))),
        "p_values_equal_tailed": out["p_values_equal_tailed"],
        "p_value_equal_tailed_mean": float(np.mean(out["p_values_equal_tailed"])),
        "t_stat": t_wb,
        "t_stat_pyfixest_crv1": t_pyfixest,
        "coef": coef,
        "ssc_wildboottest": ssc_wb,
        "k_wildboottest": int(X1.shape[1]),
        "full_enumeration": enum,
        "nobs": int(fit._N),
        "n_clusters": int(G),
        "checks": out["t_boot_checks"],
    }
    if alt_p:
        case["p_values_demeaned_plain_ols_no_redemeaning"] = alt_p
    if exact is not None:
        case["enumeration"] = exact
    return case


def main() -> None:
    raw = pd.read_csv(JTRAIN)
    files = {"full": rel(JTRAIN)}
    frames = {"full": raw}
    for n in (10, 12):
        sub = subsample(raw, n)
        path = HERE / f"jtrain_sub{n}.csv"
        sub.to_csv(path, index=False)
        frames[f"sub{n}"] = pd.read_csv(path)   # fit on the data as read back
        files[f"sub{n}"] = rel(path)

    cases = []
    for c in CASES:
        print(f"  {c[0]} ...", file=sys.stderr, flush=True)
        cases.append(run_case(c, frames, files))

    doc = {
        "generator": rel(Path(__file__).resolve()),
        "versions": {
            "python": platform.python_version(),
            "pyfixest": pf.__version__,
            "wildboottest": version("wildboottest"),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "numba": version("numba"),
            "scipy": version("scipy"),
            "formulaic": version("formulaic"),
        },
        "notes": [
            "p-values from pyfixest Feols.wildboottest(reps, param, weights_type, impose_null, seed), bootstrap_type '11', k_adj=True, G_adj=True; fit = pf.feols(formula, data, vcov={'CRV1': 'fcode'}).",
            "Fixed effects: pyfixest hands wildboottest the full dummy-variable design (formulaic 'y ~ x + C(fe1) + C(fe2)': intercept + regressors + (levels-1) dummies per FE), so the FEs are re-estimated in every bootstrap sample; equivalent (FWL) to demeaning with bootstrap residuals re-demeaned in each draw.",
            "t_stat is wildboottest's: beta / sqrt(ssc * CRV1 sandwich), ssc = (N-1)/(N-k) * G/(G-1) with k = columns of the dummy design (every FE level counted, no nesting adjustment). It differs from pyfixest's own CRV1 t (t_stat_pyfixest_crv1). p-values do not depend on ssc.",
            "Symmetric p-value = mean over the B draws of [|t| < |t*|] (strict; ties not counted; denominator B, the original sample is not added). Equal-tailed = 2*min(mean[t < t*], mean[t > t*]).",
            "Full enumeration iff weights are Rademacher and 2^G < B (strict); then all 2^G sign vectors are used (B_used = 2^G) and the seed is irrelevant. Under WCR the all-(+1) and all-(-1) vectors give |t*| = |t| mathematically (ties); wildboottest's strict comparison counts them or not by rounding: see enumeration.count_ties / count_counted_by_wildboottest.",
            "Random weights: rng = numpy.random.default_rng(seed); V = rng.choice(values, size=G*B).reshape(G, B), row g = cluster np.unique(cluster)[g]. Rademacher values [-1, 1]; Webb values -sqrt(3/2), -1, -sqrt(1/2), sqrt(1/2), 1, sqrt(3/2), equal probabilities.",
            "mc_se = sqrt(p(1-p)/B) per seed; mc_se_mean = sqrt(pbar(1-pbar)/(B*n_seeds)); 0 under full enumeration.",
            "p_values_demeaned_plain_ols_no_redemeaning: NOT pyfixest; the p-value with the same draws when the FE-demeaned data are bootstrapped as plain OLS without re-demeaning the bootstrap residuals (for comparison).",
            "Subsamples jtrain_sub10/12.csv: complete rows of the firms taken round-robin from three cohorts (grant in 1988, grant in 1989, never), each in ascending fcode order.",
        ],
        "cases": cases,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {rel(OUT)} ({len(cases)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
