"""Reference values for `quipu did --estimator cic|qdid|qtt` (Tests/QuipuTests/DistributionalReferenceTests.swift).

Peers (pinned in requirements.txt; run in a venv: pip install -r requirements.txt):
- diff-diff 3.13.0 `ChangesInChanges` (method "cic") and `QDiD`, which port R `qte` 1.3.1's
  CiC and QDiD exactly (type-1 quantiles for CiC, type-7 for QDiD); R `qte` itself could not be
  installed here (R is present, qte and its dependencies are not in Debian).
- the panel QTT (Callaway & Li 2019) has no Python peer: `panel_qtt` below is an independent
  dense numpy implementation of the paper's estimator with type-1 quantiles (R's arithmetic,
  copied from diff-diff's `_quantile_type1`), written from the paper, not from Quipu's code.

Data written beside this script (the tests read them):
- mpdta_2x2.csv: R did's mpdta, 2003 and 2007, cohort 2007 against never-treated (first.treat 0).
- mpdta_qtt.csv: the same units in 2005, 2006, 2007 (QTT needs a period before the base).
- peru_2x2.csv: the bundled Peru panel, CBI cohort 2015 against never-supported firms, 2014 and
  2015, firms with sales in both years; outcome log(sales).
- ties.csv: a small panel with many tied outcomes (values on a 0.5 grid).
Expected values: expected.json (point estimates; bootstrap SEs of diff-diff with 999 replicates
for the Monte-Carlo comparison, which uses a different random stream than Quipu's).
"""
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import diff_diff
from diff_diff import ChangesInChanges, QDiD

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9]


def q1(sample, probs):
    """R quantile(type = 1) with R's fuzz, as diff-diff's _quantile_type1."""
    x = np.sort(np.asarray(sample, dtype=float))
    n = x.shape[0]
    p = np.clip(np.asarray(probs, dtype=float), 0.0, 1.0)
    nppm = n * p
    j = np.floor(nppm * (1.0 + 4.0 * np.finfo(float).eps)).astype(np.int64)
    h = (nppm > j).astype(np.int64)
    return x[np.clip(j + h, 1, n) - 1]


def ecdf(sample, y):
    x = np.sort(np.asarray(sample, dtype=float))
    return np.searchsorted(x, y, side="right") / x.shape[0]


def panel_qtt(wide, treated, t, b, e, quantiles):
    """Callaway & Li (2019): QTT at period t with base b and the period before it e."""
    tr, co = wide[treated], wide[~treated]
    d_treated_base = tr[b] - tr[e]
    d_control = co[t] - co[b]
    change = q1(d_control, ecdf(d_treated_base, d_treated_base))
    level = q1(tr[b], ecdf(tr[e], tr[e]))
    y0 = change + level
    att = float(np.mean(tr[t]) - np.mean(y0))
    return att, (q1(tr[t], quantiles) - q1(y0, quantiles)).tolist()


def two_by_two(frame, unit, time, cohort, outcome, post_year):
    frame = frame.copy()
    frame["g"] = (frame[cohort] > 0).astype(int)
    frame["post"] = (frame[time] == post_year).astype(int)
    out = {}
    for name, cls in [("cic", lambda: ChangesInChanges(quantiles=QUANTILES, n_bootstrap=999, panel=True, seed=7)),
                      ("qdid", lambda: QDiD(quantiles=QUANTILES, n_bootstrap=999, panel=True, seed=7))]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = cls().fit(frame, outcome=outcome, treatment="g", time="post", unit=unit)
        qe = res.quantile_effects
        out[name] = {"att": float(res.att), "att_se": float(res.se),
                     "qte": [float(v) for v in qe["qte"]], "qte_se": [float(v) for v in qe["se"]]}
    return out


def main():
    mpdta = pd.read_csv(ROOT / "Datasets/mpdta/mpdta.csv")
    keep = mpdta["first.treat"].isin([0, 2007])
    m2 = mpdta[keep & mpdta["year"].isin([2003, 2007])][["countyreal", "year", "first.treat", "lemp"]]
    m2.to_csv(HERE / "mpdta_2x2.csv", index=False)
    m3 = mpdta[keep & mpdta["year"].isin([2005, 2006, 2007])][["countyreal", "year", "first.treat", "lemp"]]
    m3.to_csv(HERE / "mpdta_qtt.csv", index=False)

    peru = pd.read_csv(ROOT / "Datasets/peru-natural-ingredients/peru.csv")
    peru = peru[peru["cbi_cohort"].isin([0, 2015]) & peru["year"].isin([2014, 2015]) & (peru["sales"] > 0)]
    both = peru.groupby("firm_id")["year"].transform("count") == 2
    peru = peru[both][["firm_id", "year", "cbi_cohort", "sales"]].copy()
    peru["log_sales"] = np.log(peru["sales"])
    peru[["firm_id", "year", "cbi_cohort", "log_sales"]].to_csv(HERE / "peru_2x2.csv", index=False, float_format="%.17g")

    rng = np.random.default_rng(2024)
    units = 60
    ties = pd.DataFrame({"unit": np.repeat(np.arange(1, units + 1), 3), "year": np.tile([1, 2, 3], units)})
    ties["cohort"] = np.where(ties["unit"] <= 25, 3, 0)
    ties["y"] = np.round(rng.normal(5, 1, len(ties)) * 2) / 2 + np.where((ties["cohort"] == 3) & (ties["year"] == 3), 0.5, 0)
    ties.to_csv(HERE / "ties.csv", index=False)

    expected = {"versions": {"diff_diff": diff_diff.__version__, "numpy": np.__version__, "pandas": pd.__version__},
                "quantiles": QUANTILES}
    expected["mpdta_2x2"] = two_by_two(m2, "countyreal", "year", "first.treat", "lemp", 2007)
    expected["peru_2x2"] = two_by_two(peru, "firm_id", "year", "cbi_cohort", "log_sales", 2015)
    t2 = ties[ties["year"].isin([2, 3])]
    expected["ties_2x2"] = two_by_two(t2, "unit", "year", "cohort", "y", 3)

    wide = m3.pivot(index="countyreal", columns="year", values="lemp")
    treated = (m3.groupby("countyreal")["first.treat"].first() == 2007).reindex(wide.index).to_numpy()
    att, qte = panel_qtt(wide, treated, 2007, 2006, 2005, QUANTILES)
    expected["mpdta_qtt"] = {"att": att, "qte": qte}
    wide_t = ties.pivot(index="unit", columns="year", values="y")
    treated_t = (ties.groupby("unit")["cohort"].first() == 3).reindex(wide_t.index).to_numpy()
    att, qte = panel_qtt(wide_t, treated_t, 3, 2, 1, QUANTILES)
    expected["ties_qtt"] = {"att": att, "qte": qte}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
