"""Reference smoothness (Δ^SD) sensitivity intervals for Tests/SensitivityTests/SmoothnessTests.swift.

Writes sd_reference.json next to this script from moderndid 0.2.0 (the Python port of R HonestDiD;
pinned in requirements.txt-sd):

- mpdta: Callaway–Sant'Anna (doubly robust, never-treated controls, base_period="universal"),
  aggregated by event time (aggte type="dynamic"); β̂ and Σ exactly as moderndid's honest_did
  passes them to the sensitivity functions (the reference period e = -1 dropped, Σ = IF'IF/n²),
  and the FLCI for the on-impact target (l = e_1) and the average of the post periods
  (l = 1/T) over moderndid's default M grid for the on-impact target.
- own: a fixed event study (4 pre-periods with a slope, 3 post-periods, a correlated Σ) written
  here, with its FLCIs for the same two targets over a fixed grid and moderndid's default grid.

Run: python3 -m venv /tmp/venv-sd && /tmp/venv-sd/bin/pip install -r requirements.txt-sd
     /tmp/venv-sd/bin/python make_sd_reference.py
"""

import json
import pathlib

import numpy as np
import polars as pl

import moderndid
from moderndid.didhonest.bounds import compute_delta_sd_upperbound_m
from moderndid.didhonest.fixed_length_ci import compute_flci
from moderndid.didhonest.sensitivity import construct_original_cs

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def flci_curve(beta, sigma, n_pre, n_post, weights, grid):
    rows = []
    for m in grid:
        result = compute_flci(beta_hat=beta, sigma=sigma, smoothness_bound=float(m), n_pre_periods=n_pre,
                              n_post_periods=n_post, post_period_weights=np.asarray(weights), alpha=0.05)
        rows.append({"m": float(m), "lower": float(result.flci[0]), "upper": float(result.flci[1])})
    return rows


def original(beta, sigma, n_pre, n_post, weights):
    ci = construct_original_cs(betahat=beta, sigma=sigma, num_pre_periods=n_pre, num_post_periods=n_post,
                               l_vec=np.asarray(weights), alpha=0.05)
    return {"lower": float(ci.lb), "upper": float(ci.ub)}


def case(name, event_times, beta, sigma, n_pre, extra_grid=None):
    n_post = len(beta) - n_pre
    default_grid = np.linspace(0, compute_delta_sd_upperbound_m(beta, sigma, n_pre, alpha=0.05), 10)
    targets = {"impact": np.eye(n_post)[0], "average": np.full(n_post, 1.0 / n_post)}
    out = {"name": name, "event_times": [int(e) for e in event_times], "estimates": [float(b) for b in beta],
           "covariance": [[float(v) for v in row] for row in sigma], "pre_count": int(n_pre),
           "default_grid": [float(m) for m in default_grid], "targets": []}
    for label, weights in targets.items():
        grids = [default_grid] + ([np.asarray(extra_grid)] if extra_grid is not None else [])
        grid = np.concatenate(grids)
        out["targets"].append({"target": label, "weights": [float(w) for w in weights],
                               "original": original(beta, sigma, n_pre, n_post, weights),
                               "intervals": flci_curve(beta, sigma, n_pre, n_post, weights, grid)})
    return out


def mpdta_case():
    data = pl.read_csv(ROOT / "Datasets" / "mpdta" / "mpdta.csv")
    data = data.rename({"first.treat": "first_treat"})
    gt = moderndid.att_gt(data=data, yname="lemp", tname="year", idname="countyreal", gname="first_treat",
                          est_method="dr", control_group="nevertreated", base_period="universal", boot=False)
    es = moderndid.aggte(gt, type="dynamic", boot=False)
    times = np.asarray(es.event_times)
    keep = times != -1
    influence = np.asarray(es.influence_func)[:, keep]
    n = influence.shape[0]
    sigma = influence.T @ influence / (n * n)
    beta = np.asarray(es.att_by_event)[keep]
    n_pre = int(np.sum(times[keep] < -1))
    return case("mpdta", times[keep], beta, sigma, n_pre, extra_grid=[0.005, 0.01, 0.02, 0.05])


def own_case():
    # Four pre-periods drifting down (a sloped pre-trend, as the Peru CBI sales event study),
    # three post-periods; Σ with a common component (correlated event-time estimates).
    times = [-5, -4, -3, -2, 0, 1, 2]
    beta = np.array([0.060, 0.041, 0.025, 0.012, 0.080, 0.095, 0.120])
    sd = np.array([0.020, 0.018, 0.016, 0.015, 0.018, 0.021, 0.025])
    correlation = 0.35 + 0.65 * np.eye(len(times))
    sigma = correlation * np.outer(sd, sd)
    return case("own", times, beta, sigma, 4, extra_grid=[0.0, 0.01, 0.02, 0.04])


if __name__ == "__main__":
    result = {"moderndid": moderndid.__version__ if hasattr(moderndid, "__version__") else "0.2.0",
              "level": 0.95, "cases": [mpdta_case(), own_case()]}
    (HERE / "sd_reference.json").write_text(json.dumps(result, indent=1) + "\n")
