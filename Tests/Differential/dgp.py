"""Data sets of the differential test: generated ones and pyfixest's own get_data().

Every data set is a pandas DataFrame written to CSV in the scratch directory, and read back from
that CSV for pyfixest and the dense reference, so that the three computations see the same bytes.
Each comes with a schema saying which columns may play which role in a random specification.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Schema:
    """Which columns of a data set may be the outcome, a regressor, a factor, a fixed effect..."""
    name: str
    outcomes: list[str]
    numeric: list[str]          # continuous regressors
    positive: list[str]         # regressors that may go under log()
    factors: list[str]          # integer-coded factors usable in i() (few levels)
    fixed_effects: list[str]    # columns usable as fixed effects
    combos: list[tuple[str, str]]  # pairs usable as a^b
    clusters: list[str]         # cluster variables
    weights: list[str]          # weight columns (positive)
    path: str = ""
    extra: dict = field(default_factory=dict)


def _write(df: pd.DataFrame, directory: str, name: str) -> str:
    path = os.path.join(directory, f"{name}.csv")
    # repr-exact floats, empty cells for missing values, integer-coded factors without ".0".
    df.to_csv(path, index=False, float_format="%.17g", na_rep="")
    return path


def _as_int_or_na(values: np.ndarray) -> pd.Series:
    return pd.Series(values).astype("Int64")


def pyfixest_data(directory: str) -> Schema:
    """pyfixest's get_data() (N = 1000, seed 1234): missing cells in Y, X1, f1, Z1."""
    import pyfixest as pf
    df = pf.get_data()
    for col in ["X1", "f1", "f2", "f3", "group_id"]:
        df[col] = _as_int_or_na(df[col].to_numpy())
    df["wpos"] = df["weights"] + 0.05  # get_data's weights are in (0, 1); keep them away from 0
    df["X2p"] = np.exp(df["X2"] / 3.0)  # positive, for log()
    path = _write(df, directory, "pyfixest")
    return Schema(
        name="pyfixest", path=path,
        outcomes=["Y", "Y2"], numeric=["X2", "Z1", "Z2", "X2p"], positive=["X2p"],
        factors=["X1", "f2", "f3"], fixed_effects=["f1", "f2", "f3", "group_id"],
        combos=[("f1", "group_id"), ("f2", "f3")], clusters=["f1", "f2", "f3", "group_id"],
        weights=["wpos"],
    )


def unbalanced_panel(directory: str, seed: int, firms: int = 2000) -> Schema:
    """An unbalanced firm-year panel (entry, exit, gaps) with missing cells and staggered support."""
    rng = np.random.default_rng(seed)
    years = np.arange(2001, 2013)
    rows = []
    industry = rng.integers(1, 31, firms)
    region = rng.integers(1, 13, firms)
    cohort = np.where(rng.random(firms) < 0.4, 0, rng.choice(np.arange(2004, 2011), firms))
    for f in range(firms):
        start = rng.integers(0, 6)
        end = rng.integers(start + 2, len(years) + 1)
        present = [t for t in years[start:end] if rng.random() > 0.08]
        for t in present:
            rows.append((f + 1, t, industry[f], region[f], cohort[f]))
    df = pd.DataFrame(rows, columns=["firm", "year", "industry", "region", "cohort"])
    n = len(df)
    firm_effect = rng.normal(0, 1, firms + 1)[df["firm"]]
    year_effect = rng.normal(0, 0.5, 2100)[df["year"]]
    df["x1"] = rng.normal(0, 1, n) + 0.3 * firm_effect
    df["x2"] = np.exp(rng.normal(0, 0.7, n))
    df["x3"] = rng.normal(0, 1, n) + 0.2 * year_effect
    df["size"] = rng.integers(1, 6, n)
    treated = (df["cohort"] > 0) & (df["year"] >= df["cohort"])
    df["treat"] = treated.astype(int)
    hetero = np.exp(0.4 * rng.normal(0, 1, n))
    df["y"] = (0.5 * df["x1"] - 0.3 * np.log(df["x2"]) + 0.2 * df["x3"] + 0.1 * df["size"]
               + 0.15 * df["treat"] * (1 + (df["year"] - df["cohort"]).clip(0, 5) / 5)
               + firm_effect + year_effect + rng.normal(0, 1, n) * hetero)
    df["w"] = rng.uniform(0.2, 3.0, n)
    df["state"] = (df["region"] * 3 + df["industry"] % 3).astype(float)
    # country ⊃ region ⊃ firm: fixed effects nested in a cluster, and combined ones that repeat
    # another (country^firm is firm), for the nested-and-redundant specifications of specs.py
    df["country"] = (df["region"] - 1) // 3 + 1
    # missing cells
    for col, share in [("x1", 0.02), ("x3", 0.015), ("y", 0.01)]:
        df.loc[rng.random(n) < share, col] = np.nan
    state_missing = rng.random(n) < 0.03
    df["state_na"] = df["state"].where(~state_missing)
    df["state"] = df["state"].astype(int)
    df["state_na"] = _as_int_or_na(df["state_na"].to_numpy())
    path = _write(df, directory, f"panel_{seed}")
    return Schema(
        name=f"panel_{seed}", path=path,
        outcomes=["y"], numeric=["x1", "x2", "x3", "treat"], positive=["x2"],
        factors=["size", "region"], fixed_effects=["firm", "year", "industry", "region"],
        combos=[("region", "year"), ("industry", "size"), ("country", "firm")],
        clusters=["firm", "year", "state", "state_na", "region", "country"],
        weights=["w"], extra={"unit": "firm", "time": "year", "cohort": "cohort", "nested_fe": NESTED_FE,
                              "nested_clusters": [["firm"], ["region"], ["state"], ["country"], ["state_na"],
                                                  ["region", "year"], ["firm", "year"]]},
    )


# Fixed-effect sets of the panel where some are nested in a cluster variable and some repeat
# others (firm = country^firm = region^firm; region and industry are constant within firm).
NESTED_FE = [
    ["firm", ["country", "firm"]],
    ["firm", ["region", "firm"], "year"],
    ["firm", "region", "year"],
    [["region", "firm"], "year"],
    ["firm", "year", ["country", "firm"]],
    ["industry", "firm"],
    ["year", "firm", "region"],
    ["firm", "industry", "region"],
    ["region", "year"],
    ["firm", "country"],
]


def near_collinear(directory: str, seed: int, n: int = 120) -> Schema:
    """A small data set with exact and near collinearity, regressors absorbed by a fixed effect,
    duplicate indicator columns and few clusters."""
    rng = np.random.default_rng(seed + 7)
    f = rng.integers(1, 7, n)
    g = rng.integers(1, 5, n)
    cl = rng.integers(1, 9, n)
    x1 = rng.normal(0, 1, n)
    df = pd.DataFrame({"f": f, "g": g, "cl": cl})
    df["x1"] = x1
    df["x2"] = x1 + 1e-5 * rng.normal(0, 1, n)   # nearly x1: squared pivot ~1e-8, kept (collin_tol 1e-9)
    df["x2d"] = x1 + 1e-7 * rng.normal(0, 1, n)  # closer still: squared pivot ~1e-12, dropped
    df["x3"] = np.round(rng.normal(0, 1, n), 3)
    df["x4"] = 2.0 * df["x3"] + 1.0                       # exactly collinear with x3 and the intercept
    df["fx"] = rng.normal(0, 1, 7)[f]                      # constant within f: absorbed by | f
    df["big"] = 1e6 + rng.normal(0, 1, n)                  # badly scaled
    df["xp"] = np.exp(rng.normal(0, 1, n))
    df["k"] = rng.integers(1, 4, n)
    df["y"] = 1 + x1 + 0.5 * df["x3"] + 0.3 * df["fx"] + 0.2 * g + rng.normal(0, 1, n)
    df["w"] = rng.uniform(0.5, 2.0, n)
    path = _write(df, directory, f"collinear_{seed}")
    return Schema(
        name=f"collinear_{seed}", path=path,
        outcomes=["y"], numeric=["x1", "x2", "x2d", "x3", "x4", "fx", "big", "xp"], positive=["xp"],
        factors=["f", "g", "k"], fixed_effects=["f", "g", "cl"], combos=[("f", "g")],
        clusters=["cl", "f", "g"], weights=["w"],
    )


def tiny(directory: str, seed: int) -> Schema:
    """Fourteen rows: specifications with many indicators are saturated (N <= K)."""
    rng = np.random.default_rng(seed + 11)
    n = 14
    df = pd.DataFrame({
        "f": rng.integers(1, 8, n), "g": rng.integers(1, 4, n), "cl": rng.integers(1, 5, n),
        "x1": rng.normal(0, 1, n), "x2": rng.normal(0, 1, n), "xp": np.exp(rng.normal(0, 1, n)),
    })
    df["y"] = df["x1"] + rng.normal(0, 1, n)
    df["w"] = rng.uniform(0.5, 2.0, n)
    path = _write(df, directory, f"tiny_{seed}")
    return Schema(
        name=f"tiny_{seed}", path=path,
        outcomes=["y"], numeric=["x1", "x2", "xp"], positive=["xp"], factors=["f", "g"],
        fixed_effects=["f", "g", "cl"], combos=[("f", "g")], clusters=["cl", "g"], weights=["w"],
    )


def all_singletons(directory: str) -> Schema:
    """Every row its own firm: removing fixed-effect singletons leaves nothing."""
    rng = np.random.default_rng(3)
    n = 40
    df = pd.DataFrame({"firm": np.arange(1, n + 1), "year": rng.integers(1, 5, n),
                       "x1": rng.normal(0, 1, n)})
    df["y"] = df["x1"] + rng.normal(0, 1, n)
    path = _write(df, directory, "singletons")
    return Schema(name="singletons", path=path, outcomes=["y"], numeric=["x1"], positive=[],
                  factors=[], fixed_effects=["firm", "year"], combos=[], clusters=["year"], weights=[])


def staggered_panel(directory: str, seed: int, units: int = 300, periods: int = 8) -> Schema:
    """A balanced staggered-adoption panel for `quipu did` (cohorts inside the panel, some never)."""
    rng = np.random.default_rng(seed + 23)
    unit = np.repeat(np.arange(1, units + 1), periods)
    time = np.tile(np.arange(1, periods + 1), units)
    cohort_of = np.where(rng.random(units) < 0.35, 0, rng.integers(3, periods + 1, units))
    cohort = cohort_of[unit - 1]
    d = ((cohort > 0) & (time >= cohort)).astype(int)
    y = (rng.normal(0, 1, units)[unit - 1] + rng.normal(0, 0.5, periods)[time - 1]
         + d * (0.3 + 0.1 * np.maximum(time - cohort, 0)) + rng.normal(0, 1, units * periods))
    df = pd.DataFrame({"unit": unit, "time": time, "cohort": cohort, "y": y,
                       "w": rng.uniform(0.5, 2, units)[unit - 1], "grp": (unit - 1) % 25 + 1})
    path = _write(df, directory, f"staggered_{seed}")
    return Schema(name=f"staggered_{seed}", path=path, outcomes=["y"], numeric=[], positive=[], factors=[],
                  fixed_effects=["unit", "time"], combos=[], clusters=["unit", "grp"], weights=["w"],
                  extra={"unit": "unit", "time": "time", "cohort": "cohort", "periods": periods})


def read(path: str) -> pd.DataFrame:
    """Reads a scratch CSV back as the computations see it (every column numeric, NaN if empty)."""
    return pd.read_csv(path, dtype=float, keep_default_na=False, na_values=[""])
