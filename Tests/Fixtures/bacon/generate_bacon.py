#!/usr/bin/env python3
"""Generate the Goodman-Bacon decomposition reference fixtures for Quipu's DiD tests.

    pip install -r Tests/Fixtures/bacon/requirements.txt
    python3 Tests/Fixtures/bacon/generate_bacon.py

Writes, next to this script:
  synthetic_staggered.csv   deterministic synthetic firm panel (numpy default_rng(SEED)) with
                            always-treated firms, four adoption cohorts, never-treated firms
                            and heterogeneous, dynamic treatment effects
  bacon_reference.json      every 2x2 comparison (kind, cohorts, estimate, weight), the
                            weights and estimates by kind and the TWFE coefficient, per case

Sources of the numbers (Goodman-Bacon 2021, J. Econometrics 225(2), Theorem 1):
  * diff-diff 3.13.0, `BaconDecomposition(weights="exact")`: the three comparison kinds used by
    Quipu (treated_vs_never, earlier_vs_later, later_vs_earlier). It folds always-treated
    units into the untreated group U (the paper's footnote 11).
  * pybacondecomp 0.1.0 (a Python port of Stata's `bacondecomp`), default (non-ddetail) mode:
    keeps always-treated units as their own group ("Always vs timing") and reports each pair of
    adoption cohorts as one combined "Timing groups" comparison. Its ddetail mode is not used
    for the always-treated case: it drops the always-treated comparisons, so its weighted sum
    no longer reproduces the TWFE coefficient (the script checks and reports this).
  * An independent implementation written here from the paper's equations (group-period means,
    Eqs. 10b-d for the 2x2 estimates, Eqs. 7-9 and 10e-g for the weights), with the TWFE
    coefficient from a least-squares fit with explicit unit and period dummies. The script
    fails unless the packages and this implementation agree to 1e-10.

Every case is computed on the data *as read back from the CSV files* (with a correctly
rounded float parser), so that the Swift side, reading the same files, starts from the same
doubles.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import warnings
from importlib.metadata import version

# pyfixest (used inside pybacondecomp) can move results in the last bits with Python's
# string-hash seed; pin it so that two runs write byte-identical files.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MPDTA_REL = "Datasets/mpdta/mpdta.csv"
SYNTH_REL = "Tests/Fixtures/bacon/synthetic_staggered.csv"
OUT_JSON = os.path.join(HERE, "bacon_reference.json")
GENERATOR = "Tests/Fixtures/bacon/generate_bacon.py"

SEED = 20261130
AGREEMENT = 1e-10  # relative agreement required between every pair of sources
KINDS = ("treated_vs_never", "earlier_vs_later", "later_vs_earlier")


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def write_synthetic(path: str) -> None:
    """A staggered firm panel, 2001-2010, with every kind of group the decomposition knows.

    Cohort codes: 0 = never treated; 1999 and 2001 = treated before / in the first period
    (always treated within the window, two codes on purpose: they must form one group).
    Effects differ by cohort and grow with time since adoption (the case where later-vs-earlier
    comparisons are biased), unit and year effects are random, group sizes are unequal.
    """
    rng = np.random.default_rng(SEED)
    plan = [(1999, 4), (2001, 3), (2003, 9), (2005, 12), (2006, 5), (2009, 8), (0, 14)]
    cohorts = [c for c, n in plan for _ in range(n)]
    order = rng.permutation(len(cohorts))  # firms' cohorts are not sorted by firm id
    years = np.arange(2001, 2011)
    year_effect = rng.normal(0.0, 0.5, len(years)).cumsum()
    base = {1999: 0.8, 2001: 0.6, 2003: 0.5, 2005: 0.2, 2006: -0.1, 2009: 0.4}
    slope = {1999: 0.15, 2001: 0.1, 2003: 0.25, 2005: 0.05, 2006: 0.3, 2009: -0.2}
    rows = []
    for position, idx in enumerate(order):
        firm = 101 + 3 * position  # non-contiguous ids
        cohort = cohorts[idx]
        alpha = rng.normal(2.0, 1.0)
        for j, year in enumerate(years):
            effect = 0.0
            if cohort != 0 and year >= cohort:
                effect = base[cohort] + slope[cohort] * (year - cohort)
            y = alpha + year_effect[j] + effect + rng.normal(0.0, 0.3)
            rows.append((firm, int(year), cohort, y))
    frame = pd.DataFrame(rows, columns=["firm", "year", "first_treat", "sales"])
    # repr-precision floats: the CSV holds exactly the doubles computed here.
    frame.to_csv(path, index=False, float_format="%.17g")


def read_csv(rel: str) -> pd.DataFrame:
    """Reads a numeric CSV, parsing every field with Python's correctly rounded int/float.

    (pandas' own fast float parser is not guaranteed to round correctly; Swift's is.)
    """
    raw = pd.read_csv(os.path.join(REPO, rel), dtype=str)
    out = pd.DataFrame(index=raw.index)
    for column in raw.columns:
        values = raw[column].tolist()
        try:
            out[column] = [int(v) for v in values]
        except ValueError:
            out[column] = [float(v) for v in values]
    return out


# --------------------------------------------------------------------------------------------
# Independent implementation from the paper's equations
# --------------------------------------------------------------------------------------------

def twfe_by_dummies(df, unit, time, outcome, treat) -> float:
    """Coefficient on D in y ~ D + unit dummies + period dummies, by least squares."""
    units = pd.get_dummies(df[unit].astype("category"), dtype=float).to_numpy()
    periods = pd.get_dummies(df[time].astype("category"), dtype=float).to_numpy()[:, 1:]
    X = np.column_stack([df[treat].to_numpy(float), units, periods])
    coef, *_ = np.linalg.lstsq(X, df[outcome].to_numpy(float), rcond=None)
    return float(coef[0])


def twfe_by_demeaning(y: np.ndarray, d: np.ndarray) -> tuple[float, float]:
    """(beta, V^D) from one pass of two-way demeaning of a balanced N x T panel."""
    def demean(m):
        return m - m.mean(axis=1, keepdims=True) - m.mean(axis=0, keepdims=True) + m.mean()
    dt, yt = demean(d), demean(y)
    return float((dt * yt).sum() / (dt * dt).sum()), float((dt * dt).mean())


def paper_decomposition(df, unit, time, outcome, cohort, never_value, separate_always):
    """Theorem 1 of Goodman-Bacon (2021) from group-period means.

    Groups are defined by the treatment path D_it = 1{t >= cohort}: the onset index e is the
    number of untreated periods in the window (0 = always treated, T = untreated throughout).
    With separate_always the always-treated units are a group with D-bar = 1 (R and Stata
    bacondecomp); otherwise they join the untreated group U (paper footnote 11, diff-diff).
    """
    periods = np.sort(df[time].unique())
    T = len(periods)
    wide = df.pivot(index=unit, columns=time, values=outcome).loc[:, periods]
    assert not wide.isna().any().any(), "panel must be balanced"
    coh = df.groupby(unit)[cohort].first().loc[wide.index]
    onset = {}
    for u, c in coh.items():
        if c == never_value:
            e = T
        else:
            e = int((periods < c).sum())
        if e == 0 and not separate_always:
            e = T
        onset[u] = e
    onsets = pd.Series(onset)
    N = len(onsets)
    groups = sorted(onsets.unique())
    mean = {e: wide.loc[onsets.index[onsets == e]].to_numpy().mean(axis=0) for e in groups}
    share = {e: float((onsets == e).sum()) / N for e in groups}
    dbar = {e: (T - e) / T for e in groups}
    label = {e: (None if e == T else int(periods[e])) for e in groups}

    def window(m, lo, hi):
        return m[lo:hi].mean()

    def dd(treated, control, pre, post):
        return ((window(mean[treated], *post) - window(mean[treated], *pre))
                - (window(mean[control], *post) - window(mean[control], *pre)))

    out = []
    timing = [e for e in groups if e < T]
    if T in groups:
        nU = share[T]
        for k in timing:
            if k == 0:
                continue  # always treated vs untreated: no variation in D within the pair
            nk = share[k]
            nkU = nk / (nk + nU)
            v = nkU * (1 - nkU) * dbar[k] * (1 - dbar[k])                          # Eq. 7
            out.append(dict(kind="treated_vs_never", treated=label[k], control=None,
                            control_always=False, estimate=dd(k, T, (0, k), (k, T)),  # 10b
                            raw=(nk + nU) ** 2 * v))                                # 10e
    for i, k in enumerate(timing):
        for l in timing[i + 1:]:
            nk, nl = share[k], share[l]
            nkl = nk / (nk + nl)
            if k > 0:  # k's PRE window is empty when k is always treated
                v = nkl * (1 - nkl) * (dbar[k] - dbar[l]) / (1 - dbar[l]) \
                    * (1 - dbar[k]) / (1 - dbar[l])                                # Eq. 8
                out.append(dict(kind="earlier_vs_later", treated=label[k], control=label[l],
                                control_always=False,
                                estimate=dd(k, l, (0, k), (k, l)),                  # 10c
                                raw=((nk + nl) * (1 - dbar[l])) ** 2 * v))          # 10f
            v = nkl * (1 - nkl) * dbar[l] / dbar[k] * (dbar[k] - dbar[l]) / dbar[k]  # Eq. 9
            out.append(dict(kind="later_vs_earlier", treated=label[l], control=label[k],
                            control_always=bool(k == 0),
                            estimate=dd(l, k, (k, l), (l, T)),                      # 10d
                            raw=((nk + nl) * dbar[k]) ** 2 * v))                    # 10g
    total = sum(c["raw"] for c in out)
    for c in out:
        c["weight"] = c["raw"] / total
    d = np.array([[1.0 if onsets[u] < T and j >= onsets[u] else 0.0 for j in range(T)]
                  for u in wide.index])
    beta, vd = twfe_by_demeaning(wide.to_numpy(), d)
    # Theorem 1: V^D is the sum of the weight numerators (so the weights sum to one).
    assert abs(total - vd) <= 1e-13 * vd, (total, vd)
    return out, beta


# --------------------------------------------------------------------------------------------
# Reference packages
# --------------------------------------------------------------------------------------------

def diff_diff_decomposition(df, unit, time, outcome, cohort):
    from diff_diff import BaconDecomposition
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its always-treated remap warning
        res = BaconDecomposition(weights="exact").fit(
            df, outcome=outcome, unit=unit, time=time, first_treat=cohort)
    rows = []
    for c in res.comparisons:
        control = None if c.control_group == "never_treated" else int(c.control_group)
        rows.append(dict(kind=c.comparison_type, treated=int(c.treated_group), control=control,
                         control_always=False, estimate=float(c.estimate),
                         weight=float(c.weight)))
    return rows, float(res.twfe_estimate)


def pybacondecomp_rows(df, unit, time, outcome, cohort, never_value, ddetail):
    from pybacondecomp import bacondecomp
    d = df.copy()
    d["_D"] = ((d[cohort] != never_value) & (d[time] >= d[cohort])).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = bacondecomp(d, outcome, "_D", unit, time, ddetail=ddetail, verbose=False)
    rows = [dict(type=r.type, treated=str(r.treated), control=str(r.control),
                 estimate=float(r.estimate), weight=float(r.weight))
            for r in res.two_by_two.itertuples()]
    return rows, float(res.dd_estimate)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

def close(a: float, b: float, tol: float = AGREEMENT) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300) or abs(a - b) <= 1e-15


def key(c):
    return (c["kind"], c["treated"], c["control"] if c["control"] is not None else -1)


def require_same(name, a, b):
    ka, kb = sorted(map(key, a)), sorted(map(key, b))
    assert ka == kb, f"{name}: different comparisons\n{ka}\n{kb}"
    bmap = {key(c): c for c in b}
    for c in a:
        o = bmap[key(c)]
        for field in ("estimate", "weight"):
            assert close(c[field], o[field]), f"{name}: {key(c)} {field} {c[field]!r} {o[field]!r}"


def by_kind(rows):
    weights, estimates = {}, {}
    for kind in KINDS:
        sel = [c for c in rows if c["kind"] == kind]
        w = sum(c["weight"] for c in sel)
        if sel:
            weights[kind] = w
            estimates[kind] = sum(c["weight"] * c["estimate"] for c in sel) / w
    return weights, estimates


def check_against_pybacon_basic(name, rows, pyrows):
    """Compare a separate-always decomposition with pybacondecomp's basic mode.

    Its "Timing groups" rows are the two directions of a cohort pair combined (paper Eq. 11):
    weight = s^k + s^l, estimate = the weight-averaged estimate.
    """
    always_label = {c["control"] for c in rows if c["control_always"]}
    for r in pyrows:
        if r["type"] == "Timing groups":
            a, b = sorted((int(r["treated"]), int(r["control"])))
            pair = [c for c in rows if c["control"] is not None and not c["control_always"]
                    and {c["treated"], c["control"]} == {a, b}]
            assert len(pair) == 2, (name, r, pair)
            w = sum(c["weight"] for c in pair)
            e = sum(c["weight"] * c["estimate"] for c in pair) / w
        else:
            treated = int(r["treated"])
            if r["type"] == "Never vs timing":
                match = [c for c in rows if c["kind"] == "treated_vs_never" and c["treated"] == treated]
            else:
                assert r["type"] == "Always vs timing", r
                match = [c for c in rows if c["control_always"] and c["treated"] == treated]
            assert len(match) == 1, (name, r, match)
            w, e = match[0]["weight"], match[0]["estimate"]
        assert close(w, r["weight"]) and close(e, r["estimate"]), (name, r, w, e)
    assert always_label or not any(r["type"] == "Always vs timing" for r in pyrows)


def as_json_rows(rows):
    return [dict(kind=c["kind"], treated_cohort=c["treated"], control_cohort=c["control"],
                 control_always_treated=c["control_always"], estimate=c["estimate"],
                 weight=c["weight"]) for c in rows]


def case(name, rel, unit, time, cohort, never_value, outcome, always_treated, source, rows,
         twfe, twfe_dummies, extra=None):
    weights, estimates = by_kind(rows)
    out = dict(name=name, data=rel, unit=unit, time=time, cohort=cohort, never_value=never_value,
               outcome=outcome, always_treated=always_treated, source=source,
               twfe_estimate=twfe, twfe_ols_dummies=twfe_dummies,
               comparisons=as_json_rows(rows), weights_by_kind=weights,
               estimate_by_kind=estimates)
    if extra:
        out.update(extra)
    return out


def main() -> None:
    write_synthetic(os.path.join(REPO, SYNTH_REL))
    cases = []
    report = []

    # ---- mpdta: no always-treated counties, so every source applies directly -------------
    spec = dict(unit="countyreal", time="year", cohort="first.treat", never_value=0,
                outcome="lemp")
    df = read_csv(MPDTA_REL)
    assert len(df) == 2500 and df.groupby(spec["unit"]).size().eq(5).all()
    dd_rows, dd_twfe = diff_diff_decomposition(df, spec["unit"], spec["time"], spec["outcome"],
                                               spec["cohort"])
    own, own_twfe = paper_decomposition(df, **spec, separate_always=True)
    ols = twfe_by_dummies(df.assign(_D=((df["first.treat"] > 0)
                                        & (df.year >= df["first.treat"])).astype(int)),
                          spec["unit"], spec["time"], spec["outcome"], "_D")
    require_same("mpdta diff-diff vs paper", dd_rows, own)
    py, py_twfe = pybacondecomp_rows(df, spec["unit"], spec["time"], spec["outcome"],
                                     spec["cohort"], 0, ddetail=True)
    kind_of = {"Early vs Late": "earlier_vs_later", "Late vs Early": "later_vs_earlier",
               "Never vs timing": "treated_vs_never"}
    py_as_rows = [dict(kind=kind_of[r["type"]], treated=int(r["treated"]),
                       control=None if r["control"] == "Never" else int(r["control"]),
                       control_always=False, estimate=r["estimate"], weight=r["weight"])
                  for r in py]
    require_same("mpdta pybacondecomp(ddetail) vs paper", py_as_rows, own)
    for a, b in [(dd_twfe, own_twfe), (dd_twfe, ols), (dd_twfe, py_twfe)]:
        assert close(a, b), (a, b)
    assert close(sum(c["weight"] * c["estimate"] for c in dd_rows), dd_twfe)
    cases.append(case("mpdta_lemp", MPDTA_REL, **spec, always_treated="separate",
                      source="diff-diff 3.13.0 BaconDecomposition(weights='exact'); "
                             "pybacondecomp 0.1.0 ddetail and the paper's equations agree",
                      rows=dd_rows, twfe=dd_twfe, twfe_dummies=ols))
    report.append(("mpdta_lemp", dd_twfe, by_kind(dd_rows)))

    # ---- synthetic panel with always-treated firms -----------------------------------------
    spec = dict(unit="firm", time="year", cohort="first_treat", never_value=0, outcome="sales")
    df = read_csv(SYNTH_REL)
    d = ((df.first_treat != 0) & (df.year >= df.first_treat)).astype(int)
    ols = twfe_by_dummies(df.assign(_D=d), spec["unit"], spec["time"], spec["outcome"], "_D")

    # (a) always-treated pooled with the untreated (paper footnote 11): diff-diff.
    dd_rows, dd_twfe = diff_diff_decomposition(df, spec["unit"], spec["time"], spec["outcome"],
                                               spec["cohort"])
    own_pooled, own_twfe = paper_decomposition(df, **spec, separate_always=False)
    require_same("synthetic pooled diff-diff vs paper", dd_rows, own_pooled)
    assert close(dd_twfe, ols) and close(own_twfe, ols)
    cases.append(case("synthetic_pooled", SYNTH_REL, **spec, always_treated="pooled",
                      source="diff-diff 3.13.0 BaconDecomposition(weights='exact') "
                             "(always-treated folded into U); the paper's equations agree",
                      rows=dd_rows, twfe=dd_twfe, twfe_dummies=ols))
    report.append(("synthetic_pooled", dd_twfe, by_kind(dd_rows)))

    # (b) always-treated as their own group (R/Stata bacondecomp): paper equations, checked
    #     row by row against pybacondecomp's basic mode, which is stored as well.
    own_sep, own_twfe = paper_decomposition(df, **spec, separate_always=True)
    py, py_twfe = pybacondecomp_rows(df, spec["unit"], spec["time"], spec["outcome"],
                                     spec["cohort"], 0, ddetail=False)
    check_against_pybacon_basic("synthetic separate", own_sep, py)
    assert close(py_twfe, ols) and close(own_twfe, ols)
    # pybacondecomp's ddetail mode loses the always-treated comparisons; record that it does.
    pyd, _ = pybacondecomp_rows(df, spec["unit"], spec["time"], spec["outcome"],
                                spec["cohort"], 0, ddetail=True)
    ddetail_sum = sum(r["weight"] * r["estimate"] for r in pyd)
    assert not close(ddetail_sum, ols, 1e-6), "pybacondecomp ddetail now handles always-treated"
    sep_case = case("synthetic_separate", SYNTH_REL, **spec, always_treated="separate",
                    source="the paper's equations (always-treated as a group with D-bar = 1, "
                           "as R/Stata bacondecomp); matches pybacondecomp 0.1.0 basic mode",
                    rows=own_sep, twfe=py_twfe, twfe_dummies=ols,
                    extra=dict(pybacondecomp_basic=py))
    cases.append(sep_case)
    report.append(("synthetic_separate", py_twfe, by_kind(own_sep)))

    packages = {p: version(p) for p in ("diff-diff", "pybacondecomp", "pyfixest", "numpy",
                                        "pandas")}
    out = dict(generator=GENERATOR, python=platform.python_version(), packages=packages,
               agreement=AGREEMENT,
               notes=["weights are normalised to sum to one; estimates are 2x2 DiDs of "
                      "group-window means (Goodman-Bacon 2021, Eqs. 10b-d)",
                      "control_cohort null = untreated throughout the window",
                      "pybacondecomp ddetail mode drops always-treated comparisons; with them "
                      f"its weighted sum on synthetic_staggered.csv is {ddetail_sum!r}, "
                      f"not the TWFE coefficient {ols!r}; its basic mode is used instead"],
               cases=cases)
    with open(OUT_JSON, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    for name, twfe, (weights, estimates) in report:
        print(f"{name}: TWFE {twfe!r}")
        for kind in KINDS:
            if kind in weights:
                print(f"  {kind:18s} weight {weights[kind]:.12f}  estimate {estimates[kind]:.12f}")


if __name__ == "__main__":
    main()
