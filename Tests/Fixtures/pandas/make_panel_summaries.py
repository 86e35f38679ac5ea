#!/usr/bin/env python3
"""Generate the pandas reference fixture for `quipu describe` and `quipu trends`.

    pip install -r Tests/Fixtures/pandas/requirements.txt
    python3 Tests/Fixtures/pandas/make_panel_summaries.py

Writes `panel_summaries.json` next to this script. Paths are resolved from the script's
location, so it runs from any directory. Inputs: `Datasets/mpdta/mpdta.csv` and
`Datasets/jtrain/jtrain.csv` (made by the `make_*.py` scripts beside them).

The numbers are computed with pandas (means, medians, quartiles with pandas' default linear
interpolation, R type 7). Every one of them is also recomputed independently in exact
rational arithmetic (`fractions.Fraction`, then rounded once to a double), and the script fails
if pandas disagrees by more than 1e-14 relative, so the references do not depend on pandas'
summation order. The definitions (the contract Quipu follows) are in README.md.
The output is deterministic: two runs write byte-identical files.
"""
from __future__ import annotations

import json
import math
import os
import platform
import sys
from fractions import Fraction

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "panel_summaries.json")

TOLERANCES = {"share_abs": 1e-12, "stat_rel": 1e-12}
CROSS_CHECK_REL = 1e-14  # pandas vs exact rational arithmetic

DATASETS = [
    {
        "name": "mpdta",
        "data": "Datasets/mpdta/mpdta.csv",
        "unit": "countyreal",
        "time": "year",
        "cohort": "first.treat",
        "treat": None,
        "derive_cohort_from_treat": False,
        "outcomes": ["lemp", "lpop"],
    },
    {
        "name": "jtrain",
        "data": "Datasets/jtrain/jtrain.csv",
        "unit": "fcode",
        "time": "year",
        "cohort": None,
        "treat": "grant",
        "derive_cohort_from_treat": True,
        "outcomes": ["lscrap", "employ"],
    },
]

NEVER = "never"
GROUPS = ("ever_treated", "never_treated")


class FixtureError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Reading and validating


def read_csv(path: str) -> pd.DataFrame:
    """Read with pandas' default parser; check every number against Python's correctly
    rounded float() of the text, so the doubles are the ones any correct parser gives."""
    df = pd.read_csv(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in df.columns:
        parsed = df[col].to_numpy(dtype="float64", na_value=np.nan)
        text = raw[col].to_numpy()
        exact = np.array([float(t) if t != "" else np.nan for t in text], dtype="float64")
        if not np.array_equal(parsed, exact, equal_nan=True):
            raise FixtureError(f"{path}: column {col} does not parse to the correctly rounded doubles")
    return df


def integral_series(s: pd.Series, what: str) -> pd.Series:
    """Non-missing values must be whole numbers; returns them as Python-int-valued int64."""
    v = s.dropna().to_numpy(dtype="float64")
    if len(v) and not np.all(v == np.round(v)):
        raise FixtureError(f"{what}: non-integer values")
    return s


def unit_cohorts(df: pd.DataFrame, spec: dict) -> pd.Series:
    """Cohort per unit: an int (first treated period) or NEVER. Index: unit values."""
    unit, time = spec["unit"], spec["time"]
    if spec["derive_cohort_from_treat"]:
        treat = df[spec["treat"]]
        bad = treat.notna() & ~treat.isin([0, 1])
        if bad.any():
            raise FixtureError(f"{spec['name']}: treatment column not 0/1")
        first = df.loc[treat == 1].groupby(unit)[time].min()
        cohort = pd.Series(NEVER, index=pd.Index(sorted(df[unit].unique()), name=unit), dtype=object)
        for u, g in first.items():
            cohort[u] = int(g)
        return cohort
    col = integral_series(df[spec["cohort"]], f"{spec['name']}: cohort column")
    # Constant within unit, counting a missing value as a value of its own.
    filled = col.fillna(-1)
    if (filled.groupby(df[unit]).nunique() != 1).any():
        raise FixtureError(f"{spec['name']}: cohort not constant within unit")
    per_unit = col.groupby(df[unit], dropna=False).first()
    # `first` skips NaN; a unit whose cohort is missing in every row gets NaN back.
    cohort = pd.Series(NEVER, index=pd.Index(sorted(df[unit].unique()), name=unit), dtype=object)
    for u, g in per_unit.items():
        if not (pd.isna(g) or g == 0):
            cohort[u] = int(g)
    return cohort


def validate(df: pd.DataFrame, spec: dict) -> None:
    """Column presence, no missing unit/time, integral time, one row per unit and period.
    (Cohort consistency is checked in unit_cohorts.)"""
    unit, time = spec["unit"], spec["time"]
    for col in [unit, time] + [spec[k] for k in ("cohort", "treat") if spec[k]] + spec["outcomes"]:
        if col not in df.columns:
            raise FixtureError(f"{spec['name']}: no column {col}")
    if df[unit].isna().any() or df[time].isna().any():
        raise FixtureError(f"{spec['name']}: missing unit or time")
    integral_series(df[time], f"{spec['name']}: time")
    if df.duplicated([unit, time]).any():
        raise FixtureError(f"{spec['name']}: a unit observed twice in one period")


# The files in bad_inputs/ and the one check each must fail (and no other check before it).
BAD_INPUTS = [
    ("duplicate_unit_period.csv", "observed twice"),
    ("time_not_integer.csv", "time: non-integer"),
    ("cohort_inconsistent.csv", "cohort not constant"),
]


def check_bad_inputs() -> None:
    """Each bad file must be rejected by the same validation, for its own reason only."""
    for file, reason in BAD_INPUTS:
        spec = {"name": file, "unit": "unit", "time": "time", "cohort": "cohort", "treat": None,
                "derive_cohort_from_treat": False, "outcomes": ["y"]}
        df = read_csv(os.path.join(HERE, "bad_inputs", file))
        if list(df.columns) != ["unit", "time", "cohort", "y"]:
            raise FixtureError(f"bad_inputs/{file}: columns must be unit,time,cohort,y")
        try:
            validate(df, spec)
            unit_cohorts(df, spec)
        except FixtureError as e:
            if reason not in str(e):
                raise FixtureError(f"bad_inputs/{file} failed for the wrong reason: {e}") from None
        else:
            raise FixtureError(f"bad_inputs/{file} was accepted")


# ---------------------------------------------------------------------------------------------
# Exact cross-checks


def exact_mean(values: np.ndarray) -> float:
    return float(sum((Fraction(float(x)) for x in values), Fraction(0)) / len(values))


def exact_quantile(sorted_values: np.ndarray, p: Fraction) -> float:
    """R type 7 / numpy 'linear': h = (n-1)p, x[j] + (h-j)(x[j+1]-x[j]), exact, rounded once."""
    n = len(sorted_values)
    h = (n - 1) * p
    j = math.floor(h)
    frac = h - j
    lo = Fraction(float(sorted_values[j]))
    if frac == 0:
        return float(lo)
    hi = Fraction(float(sorted_values[j + 1]))
    return float(lo + frac * (hi - lo))


def check_close(ours: float, exact: float, what: str, worst: list) -> None:
    scale = abs(exact)
    diff = abs(ours - exact)
    rel = 0.0 if diff == 0 else (diff / scale if scale > 0 else math.inf)
    worst[0] = max(worst[0], rel)
    if rel > CROSS_CHECK_REL:
        raise FixtureError(f"{what}: pandas {ours!r} vs exact {exact!r} (relative {rel:.3g})")


# ---------------------------------------------------------------------------------------------
# Summaries


def as_float(x) -> float | None:
    if x is None or pd.isna(x):
        return None
    x = float(x)
    if not math.isfinite(x):
        raise FixtureError(f"non-finite statistic {x}")
    return x


def cell_stats(values: pd.Series, what: str, worst: list, full: bool) -> dict:
    """n, mean, median (and q1, q3, min, max if full) of the non-missing values."""
    v = values.dropna().astype("float64")
    n = int(len(v))
    out: dict = {"n": n}
    keys = ["mean", "median"] + (["q1", "q3", "min", "max"] if full else [])
    if n == 0:
        for k in keys:
            out[k] = None
        return out
    stats = {
        "mean": v.mean(),
        "median": v.median(),
        "q1": v.quantile(0.25),
        "q3": v.quantile(0.75),
        "min": v.min(),
        "max": v.max(),
    }
    s = np.sort(v.to_numpy())
    exact = {
        "mean": exact_mean(s),
        "median": exact_quantile(s, Fraction(1, 2)),
        "q1": exact_quantile(s, Fraction(1, 4)),
        "q3": exact_quantile(s, Fraction(3, 4)),
        "min": float(s[0]),
        "max": float(s[-1]),
    }
    for k in keys:
        out[k] = as_float(stats[k])
        check_close(out[k], exact[k], f"{what} {k}", worst)
    return out


def summarise(spec: dict) -> tuple[dict, float]:
    path = os.path.join(ROOT, spec["data"])
    df = read_csv(path)
    validate(df, spec)
    unit, time = spec["unit"], spec["time"]
    worst = [0.0]

    periods = sorted(int(p) for p in df[time].unique())
    last_period = periods[-1]
    times = df[time].astype("int64")
    units = df[unit]
    n_units = int(units.nunique())

    cohort = unit_cohorts(df, spec)
    row_cohort = units.map(cohort)
    ever = row_cohort != NEVER
    row_group = np.where(ever, "ever_treated", "never_treated")
    treated = ever & (times >= row_cohort.where(ever, 0).astype("int64"))

    n_pairs = int(df[[unit, time]].drop_duplicates().shape[0])
    balanced = n_pairs == n_units * len(periods)

    upp = df.groupby(times)[unit].nunique()
    first = times.groupby(units).min()
    last = times.groupby(units).max()

    units_per_period = [{"period": p, "units": int(upp.get(p, 0))} for p in periods]
    entries_exits = [
        {
            "period": p,
            "entering": int((first == p).sum()),
            "exiting": int((last == p).sum()) if p != last_period else 0,
        }
        for p in periods
    ]

    counts = cohort.value_counts()
    cohort_values = sorted(c for c in counts.index if c != NEVER)
    cohorts = [{"cohort": int(c), "units": int(counts[c])} for c in cohort_values]
    if NEVER in counts.index:
        cohorts.append({"cohort": NEVER, "units": int(counts[NEVER])})

    status_by_period = [
        {
            "period": p,
            "treated": int((treated & (times == p)).sum()),
            "not_treated": int((~treated & (times == p)).sum()),
        }
        for p in periods
    ]

    groups_present = [g for g in GROUPS if (row_group == g).any()]
    cohort_groups = [str(c) for c in cohort_values] + ([NEVER] if NEVER in counts.index else [])
    row_cohort_label = row_cohort.map(lambda c: c if c == NEVER else str(int(c)))

    outcomes = []
    trends = {}
    for y in spec["outcomes"]:
        s = pd.to_numeric(df[y], errors="raise").astype("float64")
        rows = len(s)
        missing = int(s.isna().sum())
        present = rows - missing
        zeros = int((s == 0).sum())
        by_group = []
        by_status = []
        for g in groups_present:
            for p in periods:
                cell = s[(row_group == g) & (times == p)]
                full = cell_stats(cell, f"{spec['name']} {y} {g} {p}", worst, full=True)
                by_group.append({"group": g, "period": p, **full})
                by_status.append({"group": g, "period": p, "n": full["n"],
                                  "mean": full["mean"], "median": full["median"]})
        by_cohort = []
        for g in cohort_groups:
            for p in periods:
                cell = s[(row_cohort_label == g) & (times == p)]
                st = cell_stats(cell, f"{spec['name']} {y} cohort {g} {p}", worst, full=False)
                by_cohort.append({"group": g, "period": p, **st})
        outcomes.append({
            "name": y,
            "missing_share": missing / rows,
            "zero_share": (zeros / present) if present else None,
            "by_group": by_group,
        })
        trends[y] = {"by_status": by_status, "by_cohort": by_cohort}

    record = {
        "name": spec["name"],
        "data": spec["data"],
        "unit": unit,
        "time": time,
        "cohort": spec["cohort"],
        "treat": spec["treat"],
        "derive_cohort_from_treat": spec["derive_cohort_from_treat"],
        "outcome_names": list(spec["outcomes"]),
        "units": n_units,
        "periods": periods,
        "observations": int(len(df)),
        "balanced": bool(balanced),
        "units_per_period": units_per_period,
        "entries_exits": entries_exits,
        "cohorts": cohorts,
        "status_by_period": status_by_period,
        "outcomes": outcomes,
        "trends": trends,
    }
    return record, worst[0]


def main() -> int:
    check_bad_inputs()
    datasets = []
    for spec in DATASETS:
        record, worst = summarise(spec)
        datasets.append(record)
        print(f"{spec['name']}: {record['units']} units, periods {record['periods']}, "
              f"{record['observations']} rows, balanced={record['balanced']}, "
              f"cohorts {[(c['cohort'], c['units']) for c in record['cohorts']]}; "
              f"largest pandas-vs-exact relative difference {worst:.3g}")
    doc = {
        "generator": "Tests/Fixtures/pandas/make_panel_summaries.py",
        "versions": {
            "python": platform.python_version(),
            "pandas": pd.__version__,
            "numpy": np.__version__,
        },
        "tolerances": TOLERANCES,
        "datasets": datasets,
    }
    text = json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=True) + "\n"
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FixtureError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
