"""Reference values for `quipu did --estimator dcdh` (de Chaisemartin & D'Haultfoeuille 2024).

Peers (versions in requirements.txt):
- diff-diff 3.13 `ChaisemartinDHaultfoeuille` (drop_larger_lower=False: R's did_multiplegt_dyn
  keeps units that switch on and off; diff-diff's default drops every unit with more than one
  change), L_max effects with its automatic placebos, normalized effects, analytic SEs.
- moderndid 0.2.0 `did_multiplegt` (a port of R did_multiplegt_dyn) with switchers="in" and
  switchers="out": point estimates of the joiners-only and leavers-only effects and placebos.
  Its switchers-out estimates are recorded as it prints them; R flips their sign (the quipu
  tests compare with the sign flipped, see README.md).

Panels (written beside this script):
- reversible.csv: diff-diff's generate_reversible_did_data(pattern="random") - binary treatment
  switching on and off, joiners, leavers, units switching two and three times, never switchers.
- discrete.csv: a small simulated panel with treatment levels 0, 1, 2 (on/off, a unit switching
  twice, units that never switch, status quo 0, 1 and 2).
- favara_imbs.csv: moderndid's copy of the Favara & Imbs (2015) county panel used by
  did_multiplegt_dyn's documentation (rows with a missing outcome removed, see README.md).
- peru_pum.csv: the Peru panel's PUM missions so far (0-3) as a discrete treatment, firms
  observed from the first year without gaps.
- single_switch.csv: every unit changes once (the average total effect's definitions of the
  peers coincide only there).

Run: python make_dcdh_reference.py  (writes dcdh_reference.json and the CSVs)
"""
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import polars as pl
import diff_diff as dd
from moderndid import did_multiplegt
from moderndid.core import data as md_data

warnings.filterwarnings("ignore")
HERE = pathlib.Path(__file__).parent


def discrete_panel(seed=11, units=40, periods=7):
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(units):
        kind = g % 8
        d = np.zeros(periods)
        if kind == 0:                      # never switches, status quo 0
            pass
        elif kind == 1:                    # never switches, status quo 1
            d[:] = 1
        elif kind == 2:                    # 0 -> 1 at a random period
            d[rng.integers(2, periods):] = 1
        elif kind == 3:                    # 0 -> 2
            d[rng.integers(2, periods):] = 2
        elif kind == 4:                    # 1 -> 0 (leaver)
            d[:] = 1
            d[rng.integers(2, periods):] = 0
        elif kind == 5:                    # 0 -> 1 -> 0 (on and off)
            start = rng.integers(1, periods - 2)
            d[start:start + 2] = 1
        elif kind == 6:                    # 0 -> 1 -> 2 (switches twice, upwards)
            start = rng.integers(1, periods - 2)
            d[start:] = 1
            d[start + 2:] = 2
        else:                              # status quo 2 (never switches, or falls to 1)
            d[:] = 2
            if g % 16 == 7:
                d[rng.integers(2, periods):] = 1
        alpha = rng.normal(0, 1)
        for t in range(periods):
            effect = 1.5 * d[t] + 0.5 * (d[t - 1] if t > 0 else d[0])
            rows.append((g + 1, t + 1, d[t], round(alpha + 0.3 * t + effect + rng.normal(0, 0.7), 6)))
    return pd.DataFrame(rows, columns=["unit", "period", "treatment", "outcome"])


def diff_diff_run(df, unit, time, treatment, outcome, L):
    est = dd.ChaisemartinDHaultfoeuille(drop_larger_lower=False)
    r = est.fit(df, outcome=outcome, unit=unit, time=time, treatment=treatment, L_max=L)
    def rows(block):
        return {str(k): {"estimate": v["effect"], "std_error": v["se"], "n": int(v["n_obs"])}
                for k, v in (block or {}).items() if np.isfinite(v["effect"])}
    out = {"effects": rows(r.event_study_effects), "placebos": {str(abs(int(k))): v for k, v in rows(r.placebo_event_study).items()},
           "normalized": {str(k): {"estimate": v["effect"], "std_error": v["se"], "denominator": v["denominator"]}
                          for k, v in (r.normalized_effects or {}).items()},
           "cost_benefit_delta": (r.cost_benefit_delta or {}).get("delta")}
    return out


def moderndid_run(df, unit, time, treatment, outcome, L, K, switchers):
    d = pl.from_pandas(df[[unit, time, treatment, outcome]]).with_columns(pl.col(treatment).cast(pl.Float64))
    try:
        m = did_multiplegt(d, yname=outcome, tname=time, idname=unit, dname=treatment, effects=L, placebo=K, switchers=switchers)
    except TypeError:
        return None  # no unit's first change goes this way: moderndid fails on the empty sample instead of saying so
    def rows(block):
        return {str(int(abs(h))): {"estimate": float(e), "std_error": float(s), "n": int(n)}
                for h, e, s, n in zip(block.horizons, block.estimates, block.std_errors, block.n_switchers) if np.isfinite(e)}
    return {"effects": rows(m.effects), "placebos": rows(m.placebos) if m.placebos is not None else {},
            "average_total_effect": float(m.ate.estimate) if m.ate is not None else None}


def crossing_units(df, unit, time, treatment):
    def crosses(s):
        s = s.sort_index()
        return bool((s > s.iloc[0]).any() and (s < s.iloc[0]).any())
    return int(df.sort_values([unit, time]).groupby(unit)[treatment].apply(lambda s: crosses(s.reset_index(drop=True))).sum())


def case(name, df, unit, time, treatment, outcome, L, K, moderndid=True):
    df.to_csv(HERE / f"{name}.csv", index=False)
    entry = {"file": f"Tests/Fixtures/dcdh/{name}.csv", "unit": unit, "time": time, "treatment": treatment, "outcome": outcome,
             "effects": L, "placebo": K, "crossing_units": crossing_units(df, unit, time, treatment),
             "diff_diff": diff_diff_run(df, unit, time, treatment, outcome, L)}
    if moderndid:
        entry["moderndid"] = {s: moderndid_run(df, unit, time, treatment, outcome, L, K, s) for s in ["in", "out"]}
    return entry


reversible = dd.generate_reversible_did_data(n_groups=120, n_periods=8, pattern="random", p_switch=0.1, seed=3)
reversible = reversible[["group", "period", "treatment", "outcome"]].assign(period=lambda d: d.period + 1)
single = dd.generate_reversible_did_data(n_groups=60, n_periods=6, pattern="single_switch", seed=5)
single = single[["group", "period", "treatment", "outcome"]].assign(period=lambda d: d.period + 1)
favara = md_data.load_favara_imbs().to_pandas()[["county", "year", "inter_bra", "Dl_vloans_b"]]
favara = favara[favara.Dl_vloans_b.notna()]
# diff-diff refuses units missing the first year; dropping them keeps the two samples equal.
favara = favara[favara.county.isin(favara.county[favara.year == favara.year.min()])].reset_index(drop=True)

# The Peru panel (Datasets/peru-natural-ingredients): PUM missions so far (0-3) as a discrete
# treatment. diff-diff refuses firms missing the first year and drops firms with a gap (a missing
# outcome makes one), so the fixture keeps the firms observed, with the outcome, in every year
# from 2004 to their last; quipu reads the same rows.
peru = pd.read_csv(HERE / "../../../Datasets/peru-natural-ingredients/peru.csv")[["firm_id", "year", "pum_missions", "emp_permanent"]]
peru = peru[peru.emp_permanent.notna()]
spans = peru.groupby("firm_id").year.agg(["min", "max", "size"])
complete = spans[(spans["min"] == peru.year.min()) & (spans["size"] == spans["max"] - spans["min"] + 1)].index
peru = peru[peru.firm_id.isin(complete)].reset_index(drop=True)

reference = {
    "versions": {"diff-diff": dd.__version__, "moderndid": "0.2.0", "numpy": np.__version__, "pandas": pd.__version__, "polars": pl.__version__},
    "cases": {
        "reversible": case("reversible", reversible, "group", "period", "treatment", "outcome", 3, 3),
        "discrete": case("discrete", discrete_panel(), "unit", "period", "treatment", "outcome", 3, 2),
        "favara_imbs": case("favara_imbs", favara, "county", "year", "inter_bra", "Dl_vloans_b", 5, 3),
        "peru_pum": case("peru_pum", peru, "firm_id", "year", "pum_missions", "emp_permanent", 3, 2),
        "single_switch": case("single_switch", single, "group", "period", "treatment", "outcome", 3, 2, moderndid=False),
    },
}
(HERE / "dcdh_reference.json").write_text(json.dumps(reference, indent=1, sort_keys=True) + "\n")
print(json.dumps({k: {"crossing": v["crossing_units"], "dd_effects": v["diff_diff"]["effects"]} for k, v in reference["cases"].items()}, indent=1))
