#!/usr/bin/env python3
"""Generate the staggered-adoption reference fixtures for Quipu (mpdta and the Peru panel).

    pip install -r Tests/Fixtures/staggered/requirements.txt
    python3 Tests/Fixtures/staggered/make_staggered_reference.py

Reads Datasets/mpdta/mpdta.csv and Datasets/peru-natural-ingredients/peru.csv and writes, next
to this script, staggered_reference.json:

  mpdta.callaway_santanna  Callaway-Sant'Anna ATT(g,t) and the four aggregations (simple, group,
                           dynamic, calendar) with analytic standard errors, for ten
                           configurations; moderndid and csdid (both PyPI ports of R did) must
                           agree, and the script recomputes the aggregations (and, without
                           covariates, every ATT(g,t) and its SE) itself
  <panel>.sun_abraham      cohort x relative-period interactions with unit and year fixed
                           effects, CRV1 by unit (pyfixest, three spellings, plus dense numpy),
                           aggregated as R fixest's sunab + aggregate(): per event time, overall
                           ATT, per cohort
  <panel>.imputation       Borusyak-Jaravel-Spiess imputation / Gardner two-stage: pyfixest did2s
                           (point estimates and its GMM SEs), the BJS conservative SE (Theorem 3)
                           from diff-diff's ImputationDiD and from a dense numpy implementation,
                           and the BJS pre-trend test (leads -1..-3 on untreated observations)

Every number is cross-checked: the script fails if two computations that must agree do not.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import os
import platform
import sys
import time
import warnings
from importlib.metadata import version

# pyfixest's fixed-effects results can move in the last bits with Python's string-hash seed
# (see Tests/Fixtures/pyfixest/generate_feols.py). Pin the seed by re-executing this script so
# that two runs write byte-identical files.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import pandas as pd
import pyfixest as pf
from pyfixest.demeaners import MapDemeaner
from scipy import stats

import pyfixest.did.did2s  # noqa: F401  (module object fetched from sys.modules below)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MPDTA_REL = "Datasets/mpdta/mpdta.csv"
PERU_REL = "Datasets/peru-natural-ingredients/peru.csv"
OUT_JSON = os.path.join(HERE, "staggered_reference.json")
GENERATOR = "Tests/Fixtures/staggered/make_staggered_reference.py"

# pyfixest's default small-sample correction (= fixest 0.13 defaults), passed explicitly.
SSC = pf.ssc(k_adj=True, k_fixef="nonnested", G_adj=True, G_df="min")
# Exact least squares rather than pyfixest's default demeaning tolerance.
DEMEANER = MapDemeaner(fixef_tol=1e-13, fixef_maxiter=200_000)

TOLERANCES = {
    "cs_estimate_abs": 1e-10,
    "cs_std_error_rel": 1e-8,
    "sunab_estimate_rel": 1e-8,
    "sunab_std_error_rel": 1e-6,
    "imputation_estimate_rel": 1e-8,
    "imputation_std_error_rel": 1e-6,
    "pyfixest_did2s_estimate_rel": 1e-3,
    "pyfixest_did2s_std_error_rel": 1e-3,
    "wald_statistic_rel": 1e-6,
    "p_value_abs": 1e-7,
}

# R did 2.x on mpdta (DR, never treated, no covariates, analytic SEs), as published (7 decimals)
PUBLISHED_R_DID_DR_NEVER = {
    "simple": (-0.0399513, 0.0120340),
    "group": (-0.0310183, 0.0124461),
    "dynamic": (-0.0772398, 0.0199650),
    "calendar": (-0.0417004, 0.0159719),
}

CS_CONFIGS = [
    ("dr_never", dict(est_method="dr", control_group="nevertreated", xformla=None,
                      base_period="varying", anticipation=0)),
    ("dr_notyet", dict(est_method="dr", control_group="notyettreated", xformla=None,
                       base_period="varying", anticipation=0)),
    ("ipw_never", dict(est_method="ipw", control_group="nevertreated", xformla=None,
                       base_period="varying", anticipation=0)),
    ("reg_never", dict(est_method="reg", control_group="nevertreated", xformla=None,
                       base_period="varying", anticipation=0)),
    ("dr_lpop", dict(est_method="dr", control_group="nevertreated", xformla="~ lpop",
                     base_period="varying", anticipation=0)),
    ("ipw_lpop", dict(est_method="ipw", control_group="nevertreated", xformla="~ lpop",
                      base_period="varying", anticipation=0)),
    ("reg_lpop", dict(est_method="reg", control_group="nevertreated", xformla="~ lpop",
                      base_period="varying", anticipation=0)),
    ("dr_lpop_notyet", dict(est_method="dr", control_group="notyettreated", xformla="~ lpop",
                            base_period="varying", anticipation=0)),
    ("dr_universal", dict(est_method="dr", control_group="nevertreated", xformla=None,
                          base_period="universal", anticipation=0)),
    ("dr_anticipation1", dict(est_method="dr", control_group="nevertreated", xformla=None,
                              base_period="varying", anticipation=1)),
]

PRETREND_LEADS = (1, 2, 3)  # lead k is the indicator 1{year - cohort == -k}


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
def fnum(x):
    """float for JSON, None for NaN / missing."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def clean(o):
    """Plain JSON types: numpy scalars to Python, NaN to None (null)."""
    if isinstance(o, dict):
        return {str(k): clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (bool, np.bool_)):
        return bool(o)
    if isinstance(o, (int, np.integer)):
        return int(o)
    if isinstance(o, (float, np.floating)):
        return fnum(o)
    return o


def close(a, b, rel=0.0, abs_=0.0) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or \
            (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= abs_ + rel * abs(b)


def maxdiff(a, b) -> float:
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    both_nan = np.isnan(a) & np.isnan(b)
    assert not np.any(np.isnan(a) ^ np.isnan(b)), (a, b)
    d = np.abs(a - b)
    d[both_nan] = 0.0
    return float(d.max()) if d.size else 0.0


def maxreldiff(a, b) -> float:
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    assert not np.any(np.isnan(a) ^ np.isnan(b)), (a, b)
    ok = ~np.isnan(a)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.abs(b[ok]))) if ok.any() else 0.0


@contextlib.contextmanager
def quiet():
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        yield caught


def remove_singletons(d: pd.DataFrame, fes: list[str]) -> pd.DataFrame:
    """Drop observations whose level of any fixed effect occurs once, recursively (fixest)."""
    d = d.copy()
    while True:
        keep = np.ones(len(d), bool)
        for fe in fes:
            keep &= d.groupby(fe)[fe].transform("size").to_numpy() > 1
        if keep.all():
            return d.reset_index(drop=True)
        d = d[keep]


def fe_design(d: pd.DataFrame, unit: str, time_: str):
    """All unit dummies + year dummies without the first year: full column rank."""
    u = pd.factorize(d[unit], sort=True)[0]
    t = pd.factorize(d[time_], sort=True)[0]
    U, T = u.max() + 1, t.max() + 1
    Z = np.zeros((len(d), U + T - 1))
    Z[np.arange(len(d)), u] = 1.0
    rows = np.where(t > 0)[0]
    Z[rows, U + t[rows] - 1] = 1.0
    return Z, U, T


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------
def load_mpdta() -> tuple[pd.DataFrame, dict]:
    raw = pd.read_csv(os.path.join(REPO, MPDTA_REL))
    assert list(raw.columns) == ["year", "countyreal", "lpop", "lemp", "first.treat", "treat"]
    assert len(raw) == 2500 and raw["countyreal"].nunique() == 500 and not raw.isna().any().any()
    assert raw.groupby("countyreal")["lpop"].nunique().max() == 1  # lpop is time-invariant
    d = pd.DataFrame({"unit": raw["countyreal"].to_numpy(), "year": raw["year"].to_numpy(),
                      "g": raw["first.treat"].to_numpy(), "y": raw["lemp"].to_numpy(float),
                      "lpop": raw["lpop"].to_numpy(float)})
    info = {
        "file": MPDTA_REL,
        "outcome": "lemp", "unit": "countyreal", "time": "year", "cohort": "first.treat",
        "rows": 2500, "units": 500, "periods": [2003, 2007], "balanced": True,
        "cohort_units": {str(k): int(v) for k, v in d.groupby("g")["unit"].nunique().items()},
        "never_treated_code": 0,
    }
    return d, info


def load_peru() -> tuple[pd.DataFrame, dict]:
    raw = pd.read_csv(os.path.join(REPO, PERU_REL))
    n_read = len(raw)
    first_year = int(raw["year"].min())
    missing = raw["sales"].isna()
    nonpos = raw["sales"].notna() & (raw["sales"] <= 0)
    d = raw[~missing & ~nonpos]
    # Always-treated cohort: treated from the panel's first year, no untreated observation.
    always = d["pum_cohort"].between(1, first_year)
    n_always_rows = int(always.sum())
    n_always_firms = int(d.loc[always, "firm_id"].nunique())
    d = d[~always]
    out = pd.DataFrame({"unit": d["firm_id"].to_numpy(), "year": d["year"].to_numpy(),
                        "g": d["pum_cohort"].to_numpy(),
                        "y": np.log(d["sales"].to_numpy(float))}).reset_index(drop=True)
    assert out.groupby("unit")["g"].nunique().max() == 1
    info = {
        "file": PERU_REL,
        "outcome": "log(sales)", "unit": "firm_id", "time": "year", "cohort": "pum_cohort",
        "rows_read": n_read,
        "dropped_missing_sales": int(missing.sum()),
        "dropped_nonpositive_sales": int(nonpos.sum()),
        "dropped_always_treated_cohort": {
            "cohort": first_year, "firms": n_always_firms, "rows": n_always_rows,
            "why": "pum_cohort 2004 = the panel's first year: no untreated observation, so no "
                   "estimator identifies its effects (fixest's sunab documents that it removes "
                   "always-treated cohorts; BJS imputation cannot impute them; the simulation's "
                   "truth file leaves them out of every aggregate)"},
        "rows": len(out), "units": int(out["unit"].nunique()),
        "periods": [int(out["year"].min()), int(out["year"].max())], "balanced": False,
        "cohort_units": {str(k): int(v) for k, v in out.groupby("g")["unit"].nunique().items()},
        "never_treated_code": 0,
    }
    return out, info


# --------------------------------------------------------------------------------------
# 1. Callaway-Sant'Anna (mpdta)
# --------------------------------------------------------------------------------------
def cs_moderndid(raw: pd.DataFrame, cfg: dict):
    import moderndid as md
    with quiet() as caught:
        r = md.att_gt(data=raw, yname="lemp", tname="year", idname="countyreal",
                      gname="first.treat", xformla=cfg["xformla"], est_method=cfg["est_method"],
                      control_group=cfg["control_group"], base_period=cfg["base_period"],
                      anticipation=cfg["anticipation"], boot=False, cband=False)
        aggs = {ty: md.aggte(r, type=ty, boot=False, cband=False)
                for ty in ("simple", "group", "dynamic", "calendar")}
    msgs = sorted({str(w.message).strip().splitlines()[0] for w in caught
                   if "inplace keyword" not in str(w.message)})
    return r, aggs, msgs


def cs_csdid(raw: pd.DataFrame, cfg: dict):
    from csdid.att_gt import ATTgt
    kw = {} if cfg["xformla"] is None else {"xformla": "lemp " + cfg["xformla"]}
    with quiet():
        m = ATTgt(yname="lemp", tname="year", idname="countyreal", gname="first.treat",
                  data=raw.copy(), control_group=cfg["control_group"],
                  anticipation=cfg["anticipation"], **kw)
        m.fit(est_method=cfg["est_method"], base_period=cfg["base_period"], bstrap=False)
        res = m.results
        aggs = {}
        for ty in ("simple", "group", "dynamic", "calendar"):
            aggs[ty] = dict(m.aggte(typec=ty, bstrap=False).atte)
    return res, aggs


def cs_cells(d: pd.DataFrame, cfg: dict):
    """Own computation of every cell's design (base period, control set) and, without
    covariates, of ATT(g,t) and its analytic SE (DRDID drdid_panel with an intercept only)."""
    ant = cfg["anticipation"]
    years = sorted(d["year"].unique())
    wide = d.pivot(index="unit", columns="year", values="y")
    gu = d.groupby("unit")["g"].first().reindex(wide.index).to_numpy()
    # R did drops units treated in the first period (accounting for anticipation)
    keep = ~((gu > 0) & (gu - ant <= years[0]))
    wide, gu = wide[keep], gu[keep]
    n = len(gu)
    groups = sorted(int(g) for g in np.unique(gu) if g > 0)
    cells = []
    for g in groups:
        pre_candidates = [p for p in years if p + ant < g]
        b_post = pre_candidates[-1]
        tlist = years if cfg["base_period"] == "universal" else years[1:]
        for t in tlist:
            if t >= g:
                b = b_post
            elif cfg["base_period"] == "universal":
                b = b_post
            else:
                b = years[years.index(t) - 1]
            treated = gu == g
            if cfg["control_group"] == "nevertreated":
                control = gu == 0
            else:
                control = (gu == 0) | ((gu > max(t, b) + ant) & (gu != g))
            cell = {"group": g, "time": int(t), "base_period": int(b),
                    "n_treated": int(treated.sum()), "n_control": int(control.sum())}
            if t == b:
                cell.update(att=0.0, se=float("nan"), psi=np.zeros(n))
            else:
                dy = (wide[t] - wide[b]).to_numpy()
                s = treated | control
                n1 = int(s.sum())
                D = treated[s].astype(float)
                p1 = D.mean()
                mu1 = dy[s][D == 1].mean()
                mu0 = dy[s][D == 0].mean()
                psi_s = D * (dy[s] - mu1) / p1 - (1 - D) * (dy[s] - mu0) / (1 - p1)
                psi = np.zeros(n)
                psi[s] = (n / n1) * psi_s
                cell.update(att=mu1 - mu0, se=math.sqrt(float(psi @ psi)) / n, psi=psi)
            cells.append(cell)
    return cells, gu, n


def own_aggte(groups, times, att, IF, G_unit, n):
    """R did compute.aggte with analytic SEs, re-implemented: weights P(G = g) (the share of
    units in cohort g among all n units), the weight influence function (wif) included for
    simple, the group overall, and each dynamic / calendar cell; SE = sqrt(mean(psi^2) / n)."""
    groups = np.asarray(groups, float)
    times = np.asarray(times, float)
    att = np.asarray(att, float)
    glist = np.unique(groups)
    pgg = np.array([np.mean(G_unit == g) for g in glist])
    pg = np.array([pgg[np.searchsorted(glist, g)] for g in groups])
    thresh = math.sqrt(np.finfo(float).eps) * 10

    def se(psi):
        s = math.sqrt(float(np.mean(psi ** 2)) / n)
        return float("nan") if s <= thresh else s

    def wif(keep, pgk, gk):
        ind = np.column_stack([(G_unit == g).astype(float) - p for g, p in zip(gk, pgk)])
        s = pgk.sum()
        return ind / s - np.outer(ind.sum(axis=1), pgk / s ** 2)

    out = {}
    post = groups <= times
    keep = np.where(post)[0]
    w = pg[keep] / pg[keep].sum()
    psi = IF[:, keep] @ w + wif(keep, pg[keep], groups[keep]) @ att[keep]
    out["simple"] = {"estimate": float(att[keep] @ w), "std_error": se(psi)}

    est_g, psi_g = [], []
    for g in glist:
        k = np.where((groups == g) & post)[0]
        est_g.append(att[k].mean())
        psi_g.append(IF[:, k].mean(axis=1))
    est_g, psi_g = np.array(est_g), np.column_stack(psi_g)
    wg = pgg / pgg.sum()
    psi = psi_g @ wg + wif(np.arange(len(glist)), pgg, glist) @ est_g
    out["group"] = {"estimate": float(est_g @ wg), "std_error": se(psi),
                    "by": [(float(g), float(e), se(psi_g[:, i])) for i, (g, e) in
                           enumerate(zip(glist, est_g))]}

    e_all = times - groups
    elist = np.unique(e_all)
    est_e, psi_e = [], []
    for e in elist:
        k = np.where(e_all == e)[0]
        w = pg[k] / pg[k].sum()
        est_e.append(att[k] @ w)
        psi_e.append(IF[:, k] @ w + wif(k, pg[k], groups[k]) @ att[k])
    est_e, psi_e = np.array(est_e), np.column_stack(psi_e)
    pos = elist >= 0
    out["dynamic"] = {"estimate": float(est_e[pos].mean()),
                      "std_error": se(psi_e[:, pos].mean(axis=1)),
                      "by": [(float(e), float(v), se(psi_e[:, i])) for i, (e, v) in
                             enumerate(zip(elist, est_e))]}

    tl = np.unique(times)
    tl = tl[tl >= groups.min()]
    est_t, psi_t = [], []
    for t in tl:
        k = np.where((times == t) & (groups <= t))[0]
        w = pg[k] / pg[k].sum()
        est_t.append(att[k] @ w)
        psi_t.append(IF[:, k] @ w + wif(k, pg[k], groups[k]) @ att[k])
    est_t, psi_t = np.array(est_t), np.column_stack(psi_t)
    out["calendar"] = {"estimate": float(est_t.mean()), "std_error": se(psi_t.mean(axis=1)),
                       "by": [(float(t), float(v), se(psi_t[:, i])) for i, (t, v) in
                              enumerate(zip(tl, est_t))]}
    return out


def callaway_santanna(d: pd.DataFrame) -> dict:
    raw = pd.read_csv(os.path.join(REPO, MPDTA_REL))
    out = {}
    for name, cfg in CS_CONFIGS:
        r, aggs, msgs = cs_moderndid(raw, cfg)
        cres, caggs = cs_csdid(raw, cfg)
        groups = np.asarray(r.groups, float)
        times = np.asarray(r.times, float)
        att = np.asarray(r.att_gt, float)
        se = np.asarray(r.se_gt, float)
        IF = np.asarray(r.influence_func, float)
        n = int(r.n_units)
        G_unit = np.asarray(r.G, float)
        G_unit = np.where(np.isinf(G_unit), 0.0, G_unit)

        # --- csdid agrees cell by cell
        cg = np.asarray(cres["group"], float)
        ct = np.asarray(cres["year"], float)
        assert np.array_equal(cg, groups) and np.array_equal(ct, times), name
        d_att = maxdiff(cres["att"], att)
        d_se = maxdiff(cres["se"], se)
        assert d_att <= TOLERANCES["cs_estimate_abs"] and d_se <= 1e-12, (name, d_att, d_se)

        # --- own design / unconditional recomputation
        cells, gu, n_own = cs_cells(d, cfg)
        assert n_own == n, (name, n_own, n)
        assert [(c["group"], c["time"]) for c in cells] == list(zip(groups.astype(int),
                                                                     times.astype(int))), name
        own_cells_checked = cfg["xformla"] is None
        if own_cells_checked:
            a_own = np.array([c["att"] for c in cells])
            s_own = np.array([c["se"] for c in cells])
            assert maxdiff(a_own, att) <= 1e-12, (name, maxdiff(a_own, att))
            assert maxreldiff(s_own, se) <= 1e-10, (name, maxreldiff(s_own, se))
            # moderndid orders units by cohort, so compare each column's sorted values
            IF_own = np.column_stack([c["psi"] for c in cells])
            assert np.max(np.abs(np.sort(IF_own, axis=0) - np.sort(IF, axis=0))) <= 1e-10, name

        # --- aggregations: moderndid vs csdid vs own formula on moderndid's influence function
        own = own_aggte(groups, times, att, IF, G_unit, n)
        agg_out = {}
        peer = {"csdid_att_gt_max_abs_diff": {"estimate": d_att, "std_error": d_se}}
        for ty, label in (("simple", None), ("group", "group"), ("dynamic", "event_time"),
                          ("calendar", "time")):
            a = aggs[ty]
            c = caggs[ty]
            o = own[ty]
            dd = [abs(a.overall_att - c["overall_att"]), abs(a.overall_se - c["overall_se"])]
            assert close(o["estimate"], a.overall_att, abs_=1e-13), (name, ty)
            assert close(o["std_error"], a.overall_se, rel=1e-10), (name, ty)
            entry = {"estimate": float(a.overall_att), "std_error": fnum(a.overall_se)}
            if label is None:
                agg_out[ty] = entry
            else:
                keys = np.asarray(a.event_times, float)
                ests = np.asarray(a.att_by_event, float)
                ses = np.asarray(a.se_by_event, float)
                dd += [maxdiff(c["att_egt"], ests), maxdiff(c["se_egt"], ses)]
                assert np.array_equal(np.asarray(c["egt"], float), keys), (name, ty)
                assert [b[0] for b in o["by"]] == list(keys), (name, ty)
                assert maxdiff([b[1] for b in o["by"]], ests) <= 1e-13, (name, ty)
                assert maxreldiff([b[2] for b in o["by"]], ses) <= 1e-10, (name, ty)
                entry = {"overall": entry,
                         "by_" + label: [{label: int(k), "estimate": float(e), "std_error": fnum(s)}
                                         for k, e, s in zip(keys, ests, ses)]}
                agg_out[ty] = entry
            assert max(dd) <= TOLERANCES["cs_estimate_abs"], (name, ty, dd)
            peer[f"csdid_{ty}_max_abs_diff"] = max(dd)

        att_gt = []
        for c, a_, s_ in zip(cells, att, se):
            att_gt.append({"group": c["group"], "time": c["time"],
                           "event_time": c["time"] - c["group"], "base_period": c["base_period"],
                           "estimate": float(a_), "std_error": fnum(s_),
                           "n_treated": c["n_treated"], "n_control": c["n_control"]})
        out[name] = {
            "settings": {**cfg, "panel": True, "bootstrap": False,
                         "xformla": cfg["xformla"]},
            "n_units": n,
            "att_gt": att_gt,
            "aggregations": agg_out,
            "checks": {**peer,
                       "own_cell_recomputation": "ATT(g,t), SEs and influence functions "
                       "recomputed from the 2x2 mean changes (agree to 1e-12 / 1e-10)"
                       if own_cells_checked else "not applicable (covariates)",
                       "own_aggregation": "recomputed from moderndid's influence functions "
                       "with R did's compute.aggte formulas (estimates 1e-13 abs, SEs 1e-10 rel)"},
            "warnings": msgs,
        }
        if name == "dr_never":
            for ty, (pe, ps) in PUBLISHED_R_DID_DR_NEVER.items():
                e = agg_out[ty]["estimate"] if ty == "simple" else agg_out[ty]["overall"]["estimate"]
                s = agg_out[ty]["std_error"] if ty == "simple" else agg_out[ty]["overall"]["std_error"]
                assert abs(e - pe) <= 5e-8 and abs(s - ps) <= 5e-8, (ty, e, s, pe, ps)
            out[name]["published_r_did"] = {
                ty: {"estimate": pe, "std_error": ps} for ty, (pe, ps) in
                PUBLISHED_R_DID_DR_NEVER.items()}
            out[name]["reproduces_published_r_did"] = True
    return out


# --------------------------------------------------------------------------------------
# Independent FE-OLS with CRV1 (fixest 0.13 small-sample conventions), dense numpy
# --------------------------------------------------------------------------------------
def dense_feols_crv1(d: pd.DataFrame, y: np.ndarray, X: np.ndarray, unit: str, time_: str) -> dict:
    """y on X with unit and year fixed effects (explicit dummies, QR), CRV1 by unit.
    d must already be free of singletons. K = k + 1 (unit FE nested in the cluster) + T - 1."""
    Z, U, T = fe_design(d, unit, time_)
    Q, _ = np.linalg.qr(Z)
    yt = y - Q @ (Q.T @ y)
    Xt = X - Q @ (Q.T @ X)
    bread = np.linalg.inv(Xt.T @ Xt)
    b = bread @ (Xt.T @ yt)
    u = yt - Xt @ b
    n, k = X.shape
    cl = pd.factorize(d[unit])[0]
    G = int(cl.max()) + 1
    K = k + 1 + T - 1
    S = Xt * u[:, None]
    Sg = np.zeros((G, k))
    np.add.at(Sg, cl, S)
    V = G / (G - 1) * (n - 1) / (n - K) * bread @ (Sg.T @ Sg) @ bread
    return {"estimate": b, "vcov": V, "std_error": np.sqrt(np.diag(V)), "nobs": n,
            "n_clusters": G, "K": K, "df_t": G - 1, "nparams_fixest": k + (U - 1) + (T - 1) + 1}


def fit_pyfixest(formula: str, data: pd.DataFrame, cluster: str):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = pf.feols(formula, data=data, vcov={"CRV1": cluster}, ssc=SSC, demeaner=DEMEANER)
    msgs = [str(w.message).strip() for w in caught if "inplace keyword" not in str(w.message)]
    return f, msgs


# --------------------------------------------------------------------------------------
# 2. Sun-Abraham interaction-weighted estimator
# --------------------------------------------------------------------------------------
def sa_name(g: int, e: int) -> str:
    return f"sa_g{g}_e{'m' if e < 0 else ''}{abs(e)}"


def sun_abraham(d: pd.DataFrame, panel: str) -> dict:
    d = d.copy()
    treated_unit = d["g"] > 0
    d["rel"] = np.where(treated_unit, d["year"] - d["g"], -1).astype(int)
    # every treated cohort must have a pre-period row (always-treated cohorts are removed)
    for g, sub in d[treated_unit].groupby("g"):
        assert (sub["rel"] < 0).any(), f"always-treated cohort {g} left in the sample"
    # interaction cells present in the data: every relative period except -1
    cells = sorted({(int(g), int(e)) for g, e in zip(d.loc[treated_unit, "g"],
                                                   d.loc[treated_unit, "rel"]) if e != -1})
    names = [sa_name(g, e) for g, e in cells]
    dummies = pd.DataFrame({nm: ((d["g"] == g) & (d["rel"] == e)).astype(float)
                            for (g, e), nm in zip(cells, names)}, index=d.index)
    d = pd.concat([d, dummies], axis=1)

    # (a) explicit dummies, pyfixest
    formula = "y ~ " + " + ".join(names) + " | unit + year"
    f, msgs = fit_pyfixest(formula, d, "unit")
    assert list(f._coefnames) == names, "a coefficient was dropped"
    assert not [m for m in msgs if "multicollinearity" in m], msgs
    b = np.asarray(f._beta_hat, float)
    V = np.asarray(f._vcov, float)
    se = np.asarray(f._se, float)
    N, G, K, df_t = int(f._N), int(np.min(f._G)), int(f._df_k), int(f._df_t)

    # estimation sample (pyfixest removes singletons recursively; so does fixest 0.13)
    est = remove_singletons(d, ["unit", "year"])
    assert len(est) == N, (len(est), N)
    counts = np.array([int(est[nm].sum()) for nm in names])

    # (b) pyfixest's own interaction syntax i(rel, g, ref=-1, ref2=0)
    f2, msgs2 = fit_pyfixest("y ~ i(rel, g, ref=-1, ref2=0) | unit + year", d, "unit")
    map2 = {f"rel::{e}:g::{g}": sa_name(g, e) for g, e in cells}
    c2 = [map2[str(c)] for c in f2._coefnames]
    assert sorted(c2) == sorted(names), "i() spelling gives other coefficients"
    idx = [names.index(c) for c in c2]
    assert np.max(np.abs(np.asarray(f2._beta_hat) - b[idx]) / np.abs(b[idx])) <= 1e-10
    assert np.max(np.abs(np.asarray(f2._se) - se[idx]) / se[idx]) <= 1e-10
    assert int(f2._df_k) == K and int(f2._N) == N
    n_empty = len([m for m in msgs2 if "multicollinearity" in m])

    # (c) dense numpy recomputation
    chk = dense_feols_crv1(est, est["y"].to_numpy(float), est[names].to_numpy(float),
                           "unit", "year")
    assert chk["nobs"] == N and chk["n_clusters"] == G and chk["K"] == K and chk["df_t"] == df_t
    assert np.max(np.abs(chk["estimate"] - b) / np.abs(b)) <= 1e-9
    assert np.max(np.abs(chk["std_error"] - se) / se) <= 1e-9

    # (d) pyfixest's SaturatedEventStudy (event_study(estimator="saturated"))
    sat_note = {}
    with quiet():
        fs = pf.event_study(d[["unit", "year", "g", "y"]], yname="y", idname="unit",
                            tname="year", gname="g", estimator="saturated", cluster="unit")
        sat_period = fs.aggregate(agg="period")
    map3 = {}
    for c in fs._coefnames:
        left, right = str(c).split(":first_treated_period::")
        map3[str(c)] = (int(right), int(float(left.split("::")[1])))
    sat_cells = sorted(map3.values())

    qt = stats.t.ppf(0.975, df_t)
    coefs = []
    for j, ((g, e), nm) in enumerate(zip(cells, names)):
        t_ = b[j] / se[j]
        coefs.append({"cohort": g, "event_time": e, "term": nm, "estimate": float(b[j]),
                      "std_error": float(se[j]), "statistic": float(t_),
                      "p_value": float(2 * stats.t.sf(abs(t_), df_t)),
                      "conf_low": float(b[j] - qt * se[j]), "conf_high": float(b[j] + qt * se[j]),
                      "n": int(counts[j])})

    def agg(sel):
        sel = np.asarray(sel)
        s = counts[sel] / counts[sel].sum()
        est_ = float(s @ b[sel])
        se_ = float(np.sqrt(s @ V[np.ix_(sel, sel)] @ s))
        return est_, se_, s

    ev = sorted({e for _, e in cells})
    by_e = []
    for e in ev:
        sel = [j for j, (_, ee) in enumerate(cells) if ee == e]
        est_, se_, s = agg(sel)
        by_e.append({"event_time": e, "estimate": est_, "std_error": se_,
                     "statistic": est_ / se_, "n": int(counts[sel].sum()),
                     "weights": [{"cohort": cells[j][0], "share": float(w), "n": int(counts[j])}
                                 for j, w in zip(sel, s)]})
    post = [j for j, (_, e) in enumerate(cells) if e >= 0]
    att_est, att_se, _ = agg(post)
    by_g = []
    for g in sorted({g for g, _ in cells}):
        sel = [j for j, (gg, e) in enumerate(cells) if gg == g and e >= 0]
        est_, se_, _ = agg(sel)
        by_g.append({"cohort": g, "estimate": est_, "std_error": se_, "statistic": est_ / se_,
                     "n": int(counts[sel].sum())})

    # the same aggregates from the dense recomputation's vcov
    for row in by_e:
        sel = [j for j, (_, ee) in enumerate(cells) if ee == row["event_time"]]
        s = counts[sel] / counts[sel].sum()
        assert close(float(s @ chk["estimate"][sel]), row["estimate"], rel=1e-9, abs_=1e-14)
        assert close(float(np.sqrt(s @ chk["vcov"][np.ix_(sel, sel)] @ s)), row["std_error"],
                     rel=1e-9)

    if sat_cells == cells:
        sb = np.array([b[names.index(sa_name(*map3[str(c)]))] for c in fs._coefnames])
        ss = np.array([se[names.index(sa_name(*map3[str(c)]))] for c in fs._coefnames])
        assert np.max(np.abs(np.asarray(fs._beta_hat) - sb) / np.abs(sb)) <= 1e-6
        assert np.max(np.abs(np.asarray(fs._se) - ss) / ss) <= 1e-6
        pe = [row["estimate"] for row in by_e]
        ps = [row["std_error"] for row in by_e]
        se_sat = sat_period["Std. Error"].astype(float).to_numpy()
        est_sat = sat_period["Estimate"].astype(float).to_numpy()
        assert list(sat_period.index.astype(float)) == [float(e) for e in ev]
        sat_note = {
            "agrees": True,
            "max_rel_diff_coefficients": float(max(
                np.max(np.abs(np.asarray(fs._beta_hat) - sb) / np.abs(sb)),
                np.max(np.abs(np.asarray(fs._se) - ss) / ss))),
            "max_rel_diff_period_aggregates": float(max(
                np.max(np.abs(est_sat - pe) / np.abs(pe)), np.max(np.abs(se_sat - ps) / ps))),
            "note": "pyfixest's event_study(estimator='saturated') (coefficients, SEs) and its "
                    "aggregate(agg='period') (estimates, SEs) equal this reference (checked to "
                    "1e-6; it runs with pyfixest's default demeaner tolerance)",
        }
    else:
        moved = sorted(set(sat_cells) ^ set(cells))
        tr = d[d["g"] > 0]
        first_obs = tr[tr["year"] >= tr["g"]].groupby("unit")["year"].min()
        recoded = int((first_obs != tr.groupby("unit")["g"].first().reindex(first_obs.index)).sum())
        sat_note = {
            "agrees": False,
            "units_recoded_by_pyfixest": recoded,
            "cells_only_in_one": [{"cohort": g, "event_time": e,
                                   "in": "pyfixest_saturated" if (g, e) in map3.values()
                                   else "reference"} for g, e in moved],
            "why": "pyfixest's DID classes recode the cohort as the first period in which a unit "
                   "is OBSERVED treated (min year with year >= cohort), not the cohort variable; "
                   "firms whose cohort year is missing (the 2014 monitoring gap) move to a later "
                   "cohort there. fixest's sunab and this reference use the cohort variable.",
        }

    return {
        "description": "cohort x relative-period indicators 1{cohort == g, year - g == e} for every "
                       "relative period e != -1 present in the data (never-treated units get none), "
                       "with unit and year fixed effects; CRV1 by unit",
        "formula": formula if len(formula) < 200 else
        "y ~ sa_g{g}_e{e} (one column per cell) | unit + year",
        "equivalent_pyfixest_formula": "y ~ i(rel, g, ref=-1, ref2=0) | unit + year  "
                                       "(rel = year - g for treated units, -1 for never treated)",
        "fixest_equivalent": "feols(y ~ sunab(cohort, year) | unit + year, cluster = ~unit); "
                             "aggregate(fit, agg = 'period' / 'att' / 'cohort')",
        "vcov": "CRV1 by unit: G/(G-1) (N-1)/(N-K) B (sum_g s_g s_g') B",
        "nobs": N, "n_clusters": G, "K": K, "df_t": df_t,
        "nparams_fixest": chk["nparams_fixest"],
        "singletons_removed": len(d) - N,
        "reference_period": -1,
        "interactions": coefs,
        "by_event_time": by_e,
        "att": {"estimate": att_est, "std_error": att_se, "statistic": att_est / att_se,
                "n": int(counts[post].sum()),
                "definition": "sum over cells with e >= 0 of n_ge * b_ge / sum n_ge"},
        "by_cohort": by_g,
        "weights_definition": "share_ge = n_ge / sum over the aggregated cells of n_ge, with n_ge = "
                              "the number of observations in the estimation sample (after "
                              "singleton removal) whose indicator for (g, e) is 1; shares are "
                              "fixed (not estimated): SE = sqrt(s' V s) with V the CRV1 vcov",
        "checks": {
            "pyfixest_i_spelling": f"identical (1e-10); pyfixest creates {len(cells)} columns plus "
                                   "the empty cohort x period combinations, which it drops "
                                   "('variables dropped due to multicollinearity')"
                                   if n_empty else "identical (1e-10)",
            "dense_numpy": "estimates and SEs 1e-9 relative; N, G, K, df_t equal",
            "pyfixest_saturated_event_study": sat_note,
        },
    }


# --------------------------------------------------------------------------------------
# 3. Imputation (BJS) / two-stage (Gardner)
# --------------------------------------------------------------------------------------
@contextlib.contextmanager
def did2s_first_stage_keeps_singletons():
    """pyfixest 0.60's did2s fits its first stage with feols' default fixef_rm='singleton'.
    A unit with a single untreated observation is then dropped, its fixed effect is never
    estimated, its treated rows get NaN and the vcov step crashes on mismatched lengths
    (pyfixest issue #1244). Keep singletons in the first stage (they are exactly fitted by
    their unit effect, so no other estimate changes)."""
    mod = sys.modules["pyfixest.did.did2s"]
    orig = mod.feols
    mod.feols = functools.partial(orig, fixef_rm="none")
    try:
        yield
    finally:
        mod.feols = orig


def run_did2s(d: pd.DataFrame, second_stage: str):
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        f = pf.did2s(d, yname="y", first_stage="~ 0 | unit + year", second_stage=second_stage,
                     treatment="is_treated", cluster="unit")
    return f


def bjs_dense(d: pd.DataFrame) -> dict:
    """Dense numpy imputation: Z = unit dummies + year dummies (first year dropped)."""
    Z, U, T = fe_design(d, "unit", "year")
    y = d["y"].to_numpy(float)
    untr = ~d["is_treated"].to_numpy(bool)
    Z0, Z1 = Z[untr], Z[~untr]
    # every column must be identified on the untreated observations
    assert np.all(Z0.sum(axis=0) > 0), "a unit or year has no untreated observation"
    A = Z0.T @ Z0
    L = np.linalg.cholesky(A)

    def solve(rhs):
        return np.linalg.solve(L.T, np.linalg.solve(L, rhs))

    theta = solve(Z0.T @ y[untr])
    yhat0 = Z @ theta
    resid = y - yhat0  # tau_hat on treated rows, first-stage residual on untreated rows
    tau = resid[~untr]
    eps0 = resid[untr]
    dt = d[~untr]
    h = (dt["year"] - dt["g"]).to_numpy()
    gt = dt["g"].to_numpy()
    units = d["unit"].to_numpy()
    return dict(Z=Z, Z0=Z0, Z1=Z1, solve=solve, theta=theta, resid=resid, tau=tau, eps0=eps0,
                h=h, g=gt, untr=untr, units=units, U=U, T=T)


def bjs_se(m: dict, w: np.ndarray) -> tuple[float, float]:
    """Estimate sum(w * tau) and the BJS Theorem 3 conservative SE, clustered by unit, with
    tau_tilde averaged within cohort x horizon cells (unit-clustered eq. 8)."""
    est = float(w @ m["tau"])
    v0 = -m["Z0"] @ m["solve"](m["Z1"].T @ w)
    # auxiliary tau_tilde per (cohort, horizon) cell: sum v^2 tau / sum v^2 over v != 0
    key = pd.Series(list(zip(m["g"], m["h"])))
    eps1 = np.zeros(len(w))
    for _, idx in key.groupby(key).groups.items():
        idx = np.asarray(idx)
        vv = w[idx]
        nz = vv != 0
        if nz.any():
            tt = float((vv[nz] ** 2) @ m["tau"][idx][nz] / (vv[nz] @ vv[nz]))
            eps1[idx] = m["tau"][idx] - tt
    v = np.zeros(len(m["units"]))
    e = np.zeros(len(m["units"]))
    v[~m["untr"]] = w
    v[m["untr"]] = v0
    e[~m["untr"]] = eps1
    e[m["untr"]] = m["eps0"]
    psi = pd.Series(v * e).groupby(m["units"]).sum().to_numpy()
    return est, float(np.sqrt(psi @ psi))


def did2s_gmm_dense(m: dict, X2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gardner two-stage GMM vcov as pyfixest/did2s compute it, dense and exact."""
    Z = m["Z"]
    untr = m["untr"].astype(float)
    u1 = m["resid"]  # first-stage residual: y - yhat0 on every row
    X10 = Z * untr[:, None]
    XtX = X2.T @ X2
    beta = np.linalg.solve(XtX, X2.T @ u1)
    u2 = u1 - X2 @ beta
    Vm = np.linalg.solve(X10.T @ X10, (X2.T @ Z).T).T
    cl = pd.factorize(m["units"])[0]
    Gn = cl.max() + 1
    A = np.zeros((Gn, X2.shape[1]))
    np.add.at(A, cl, X2 * u2[:, None])
    B = np.zeros((Gn, Z.shape[1]))
    np.add.at(B, cl, X10 * u1[:, None])
    Wg = A - B @ Vm.T
    S = np.linalg.solve(XtX, Wg.T)
    vcov = S @ S.T
    return beta, np.sqrt(np.diag(vcov))


def imputation(d: pd.DataFrame, panel: str) -> dict:
    d = d.copy()
    d["is_treated"] = (d["g"] > 0) & (d["year"] >= d["g"])
    d["D"] = d["is_treated"].astype(float)
    d["h"] = np.where(d["is_treated"], d["year"] - d["g"], -1000).astype(int)
    m = bjs_dense(d)
    hs = sorted(set(int(x) for x in m["h"]))
    N1 = len(m["tau"])

    # --- pyfixest did2s, unpatched: record what happens
    try:
        run_did2s(d, "~ D")
        unpatched = "ran"
    except Exception as exc:  # noqa: BLE001
        unpatched = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    with did2s_first_stage_keeps_singletons():
        f_all = run_did2s(d, "~ D")
        f_h = run_did2s(d, "~ i(h, ref=-1000)")
    assert list(f_all._coefnames) == ["D"]
    assert [str(c) for c in f_h._coefnames] == [f"h::{h}" for h in hs], f_h._coefnames

    # --- dense: estimates, BJS SEs, did2s GMM SEs
    w_all = np.full(N1, 1.0 / N1)
    est_all, bjs_all = bjs_se(m, w_all)
    X2_all = d["D"].to_numpy(float)[:, None]
    b_all, gmm_all = did2s_gmm_dense(m, X2_all)
    assert close(float(b_all[0]), est_all, rel=1e-12)
    X2_h = np.column_stack([(d["h"].to_numpy() == h).astype(float) for h in hs])
    b_h, gmm_h = did2s_gmm_dense(m, X2_h)
    rows = []
    for j, h in enumerate(hs):
        sel = m["h"] == h
        w = sel / sel.sum()
        est, bjs = bjs_se(m, w)
        assert close(float(b_h[j]), est, rel=1e-12, abs_=1e-15)
        rows.append({"event_time": h, "estimate": est, "std_error_bjs": bjs,
                     "std_error_did2s": float(gmm_h[j]),
                     "pyfixest_did2s": {"estimate": float(f_h._beta_hat[j]),
                                        "std_error": float(f_h._se[j])},
                     "n": int(sel.sum()),
                     "cohorts": {str(int(g)): int(c) for g, c in
                                 zip(*np.unique(m["g"][sel], return_counts=True))}})

    # pyfixest did2s agrees with the exact computation to its fixef() lsqr tolerance
    pe = [float(f_all._beta_hat[0])] + [r["pyfixest_did2s"]["estimate"] for r in rows]
    ee = [est_all] + [r["estimate"] for r in rows]
    ps = [float(f_all._se[0])] + [r["pyfixest_did2s"]["std_error"] for r in rows]
    es = [float(gmm_all[0])] + [r["std_error_did2s"] for r in rows]
    d2s_est_rel = maxreldiff(pe, ee)
    d2s_se_rel = maxreldiff(ps, es)
    assert d2s_est_rel <= TOLERANCES["pyfixest_did2s_estimate_rel"], d2s_est_rel
    assert d2s_se_rel <= TOLERANCES["pyfixest_did2s_std_error_rel"], d2s_se_rel

    # --- diff-diff ImputationDiD (BJS Theorem 3, cohort x horizon partition)
    from diff_diff import ImputationDiD
    with quiet():
        r = ImputationDiD().fit(d[["unit", "year", "g", "y"]], outcome="y", unit="unit",
                                time="year", first_treat="g")
        es_ = r.aggregate("event_study")
    dd_rows = {int(e): (float(a), float(s)) for e, a, s in zip(es_.event_time, es_.att, es_.se)
               if e >= 0}
    assert sorted(dd_rows) == hs
    dd_est = [float(r.overall_att)] + [dd_rows[h][0] for h in hs]
    dd_se = [float(r.overall_se)] + [dd_rows[h][1] for h in hs]
    bjs_list = [bjs_all] + [row["std_error_bjs"] for row in rows]
    dd_est_rel = maxreldiff(dd_est, ee)
    dd_se_rel = maxreldiff(dd_se, bjs_list)
    assert dd_est_rel <= 1e-6 and dd_se_rel <= 1e-6, (dd_est_rel, dd_se_rel)
    for row, h in zip(rows, hs):
        row["diff_diff"] = {"estimate": dd_rows[h][0], "std_error": dd_rows[h][1]}

    # --- BJS pre-trend test: untreated observations, leads -1..-3, unit + year FE, CRV1
    d0 = d[~d["is_treated"]].copy()
    lead_names = []
    for k in PRETREND_LEADS:
        nm = f"lead{k}"
        d0[nm] = ((d0["g"] > 0) & (d0["year"] - d0["g"] == -k)).astype(float)
        lead_names.append(nm)
    fp, msgs = fit_pyfixest("y ~ " + " + ".join(lead_names) + " | unit + year", d0, "unit")
    assert list(fp._coefnames) == lead_names, fp._coefnames
    assert all("singleton" in msg for msg in msgs), msgs
    est0 = remove_singletons(d0, ["unit", "year"])
    chk = dense_feols_crv1(est0, est0["y"].to_numpy(float), est0[lead_names].to_numpy(float),
                           "unit", "year")
    bp = np.asarray(fp._beta_hat, float)
    Vp = np.asarray(fp._vcov, float)
    assert chk["nobs"] == int(fp._N) and chk["K"] == int(fp._df_k)
    assert np.max(np.abs(chk["estimate"] - bp) / np.abs(bp)) <= 1e-9
    assert np.max(np.abs(chk["std_error"] - fp._se) / fp._se) <= 1e-9
    q = len(lead_names)
    W = float(bp @ np.linalg.solve(Vp, bp))
    Gp = int(np.min(fp._G))
    F = W / q
    with quiet():
        wt = fp.wald_test(R=np.eye(q))
    leads = []
    for j, (k, nm) in enumerate(zip(PRETREND_LEADS, lead_names)):
        t_ = bp[j] / fp._se[j]
        leads.append({"event_time": -k, "term": nm, "estimate": float(bp[j]),
                      "std_error": float(fp._se[j]), "statistic": float(t_),
                      "p_value": float(2 * stats.t.sf(abs(t_), int(fp._df_t))),
                      "n": int(est0[nm].sum())})
    pretrend = {
        "sample": "untreated observations only (never treated, and year < cohort)",
        "formula": "y ~ lead1 + lead2 + lead3 | unit + year, leadk = 1{cohort > 0 and year - cohort == -k}",
        "vcov": "CRV1 by unit (fixest 0.13 small-sample factor)",
        "nobs": int(fp._N), "n_clusters": Gp, "K": int(fp._df_k), "df_t": int(fp._df_t),
        "singletons_removed": len(d0) - int(fp._N),
        "leads": leads,
        "wald_statistic": W,
        "df": q,
        "chi2_p_value": float(stats.chi2.sf(W, q)),
        "f_statistic": F,
        "f_df1": q, "f_df2": Gp - 1,
        "f_p_value": float(stats.f.sf(F, q, Gp - 1)),
        "pyfixest_wald_test": {"statistic": float(wt["statistic"]), "p_value": float(wt["pvalue"]),
                               "note": "fit.wald_test(R=I_3): R is the identity, so pyfixest keeps "
                                       "the F form: statistic = W/q on (q, G-1)"},
        "checks": "dense numpy recomputation of the lead regression (1e-9)",
    }
    assert close(pretrend["pyfixest_wald_test"]["statistic"], F, rel=1e-9)
    assert close(pretrend["pyfixest_wald_test"]["p_value"], pretrend["f_p_value"], abs_=1e-12)

    n_units = int(d["unit"].nunique())
    return {
        "sample": {"nobs": len(d), "n_units": n_units, "n_treated_obs": N1,
                   "n_untreated_obs": int(m["untr"].sum()),
                   "n_treated_units": int(d.loc[d["is_treated"], "unit"].nunique()),
                   "units_with_one_untreated_obs": int(
                       (d[~d["is_treated"]].groupby("unit").size() == 1).sum())},
        "untreated": "never treated (cohort 0) or year < cohort",
        "first_stage": "y = alpha_unit + lambda_year on untreated observations (exact least squares)",
        "overall": {"estimate": est_all, "std_error_bjs": bjs_all,
                    "std_error_did2s": float(gmm_all[0]), "n": N1,
                    "pyfixest_did2s": {"estimate": float(f_all._beta_hat[0]),
                                       "std_error": float(f_all._se[0])},
                    "diff_diff": {"estimate": float(r.overall_att),
                                  "std_error": float(r.overall_se)},
                    "weights": "1/N1 on every treated observation"},
        "by_event_time": rows,
        "weights_by_event_time": "1/N_h on every treated observation at horizon h = year - cohort",
        "bjs_variance": "sigma^2 = sum over units i of (sum_t v_it eps_it)^2; v_it = w_it on treated "
                        "rows, v = -Z0 (Z0'Z0)^-1 Z1' w on untreated rows (Z = unit dummies + year "
                        "dummies); eps = first-stage residual on untreated rows, tau_hat - "
                        "tau_tilde on treated rows with tau_tilde = sum v^2 tau_hat / sum v^2 "
                        "within each cohort x horizon cell (= the cell mean here, the weights "
                        "being equal within a cell); no small-sample factor",
        "did2s_variance": "Gardner GMM as pyfixest / R did2s: V = sum_g s_g s_g', s_g = (X2'X2)^-1 "
                          "(X2_g' u2_g - (X2'X1)(X10'X10)^-1 X10_g' u1_g), X1 = unit + year dummies, "
                          "X10 = X1 on untreated rows (0 elsewhere), u1 = y - yhat0, u2 = u1 - X2 b; "
                          "no small-sample factor",
        "pyfixest_did2s_call": "pf.did2s(data, yname='y', first_stage='~ 0 | unit + year', "
                               "second_stage='~ D' or '~ i(h, ref=-1000)', treatment='is_treated', "
                               "cluster='unit'), with the first-stage feols forced to "
                               "fixef_rm='none'",
        "pyfixest_did2s_unpatched": unpatched,
        "checks": {
            "dense_bjs_vs_diff_diff_max_rel": {"estimate": dd_est_rel, "std_error": dd_se_rel},
            "pyfixest_did2s_vs_exact_max_rel": {"estimate": d2s_est_rel, "std_error": d2s_se_rel},
            "did2s_second_stage_equals_imputation": "the did2s coefficients equal the BJS "
                                                    "estimates (1e-12) in the dense computation",
        },
        "pretrend_test": pretrend,
    }


# --------------------------------------------------------------------------------------
def main() -> int:
    t0 = time.time()
    mpdta, mpdta_info = load_mpdta()
    peru, peru_info = load_peru()

    cs = callaway_santanna(mpdta)
    print(f"callaway_santanna: {len(cs)} configurations ({time.time() - t0:.1f}s)")
    # On balanced mpdta with never-treated controls and no covariates, the SA interactions are
    # the CS ATT(g,t) with a universal base period (g - 1).
    sa_m = sun_abraham(mpdta, "mpdta")
    uni = {(c["group"], c["time"]): c["estimate"] for c in cs["dr_universal"]["att_gt"]}
    for c in sa_m["interactions"]:
        v = uni[(c["cohort"], c["cohort"] + c["event_time"])]
        assert close(c["estimate"], v, rel=1e-9), (c, v)
    by_e_cs = {r_["event_time"]: r_["estimate"] for r_ in
               cs["dr_universal"]["aggregations"]["dynamic"]["by_event_time"]}
    for row in sa_m["by_event_time"]:
        assert close(row["estimate"], by_e_cs[row["event_time"]], rel=1e-9), row
    assert close(sa_m["att"]["estimate"], cs["dr_never"]["aggregations"]["simple"]["estimate"],
                 rel=1e-9)
    sa_m["checks"]["equals_cs_universal"] = (
        "every interaction coefficient equals callaway_santanna.dr_universal ATT(g, g+e) (1e-9): "
        "balanced panel, never-treated controls, no covariates; so by_event_time equals "
        "dr_universal's dynamic estimates and att equals dr_never's simple estimate (cohort-size "
        "weights); the SEs differ (CRV1 regression vcov vs influence functions)")
    print(f"sun_abraham mpdta ({time.time() - t0:.1f}s)")
    sa_p = sun_abraham(peru, "peru")
    print(f"sun_abraham peru ({time.time() - t0:.1f}s)")
    imp_m = imputation(mpdta, "mpdta")
    print(f"imputation mpdta ({time.time() - t0:.1f}s)")
    imp_p = imputation(peru, "peru")
    print(f"imputation peru ({time.time() - t0:.1f}s)")

    doc = {
        "generator": GENERATOR,
        "versions": {
            "python": platform.python_version(),
            **{p: version(p) for p in ("moderndid", "csdid", "drdid", "pyfixest", "diff-diff",
                                       "numpy", "pandas", "scipy", "statsmodels", "polars",
                                       "pyarrow", "formulaic", "narwhals", "patsy")},
        },
        "tolerances": TOLERANCES,
        "mpdta": {"data": mpdta_info, "callaway_santanna": cs, "sun_abraham": sa_m,
                  "imputation": imp_m},
        "peru": {"data": peru_info, "sun_abraham": sa_p, "imputation": imp_p},
    }
    with open(OUT_JSON, "w", encoding="utf-8") as fh:
        json.dump(clean(doc), fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {OUT_JSON} ({time.time() - t0:.1f}s)")

    dn = cs["dr_never"]["aggregations"]
    print("CS dr_never: simple {estimate:.7f} ({std_error:.7f})".format(**dn["simple"]))
    for ty in ("group", "dynamic", "calendar"):
        print(f"  {ty}: {dn[ty]['overall']['estimate']:.7f} ({dn[ty]['overall']['std_error']:.7f})")
    for lab, sa, imp in (("mpdta", sa_m, imp_m), ("peru", sa_p, imp_p)):
        print(f"{lab}: sunab ATT {sa['att']['estimate']:.10f} ({sa['att']['std_error']:.10f}), "
              f"N={sa['nobs']}, G={sa['n_clusters']}")
        o = imp["overall"]
        print(f"{lab}: imputation {o['estimate']:.10f}, did2s SE {o['std_error_did2s']:.10f}, "
              f"BJS SE {o['std_error_bjs']:.10f}; pyfixest did2s {o['pyfixest_did2s']['estimate']:.10f}"
              f" ({o['pyfixest_did2s']['std_error']:.10f})")
        pt = imp["pretrend_test"]
        print(f"{lab}: pretrend W={pt['wald_statistic']:.6f} chi2({pt['df']}) p={pt['chi2_p_value']:.6f}; "
              f"F={pt['f_statistic']:.6f} ({pt['f_df1']},{pt['f_df2']}) p={pt['f_p_value']:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
