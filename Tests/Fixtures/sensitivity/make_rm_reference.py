#!/usr/bin/env python3
"""Reference intervals for Quipu's relative-magnitudes sensitivity (Rambachan & Roth 2023, Δ^RM).

    python3 -m venv /tmp/venv-rm && /tmp/venv-rm/bin/pip install -r Tests/Fixtures/sensitivity/requirements.txt
    /tmp/venv-rm/bin/python Tests/Fixtures/sensitivity/make_rm_reference.py

Writes rm_reference.json next to this script, from moderndid 0.2.0 (the Python port of R
HonestDiD) for two event studies:

  mpdta      Callaway–Sant'Anna dynamic event study of lemp on Datasets/mpdta/mpdta.csv
             (att_gt with base_period="universal", never-treated controls, doubly robust, no
             bootstrap; aggte type="dynamic"), with β̂ and Σ built as moderndid's honest_did builds
             them (reference period -1 dropped, Σ = IF'IF / n²)
  own        a fixed event study with 4 pre- and 3 post-periods written below
  single_pre its last pre-period and the post-periods only (one pre-period: R HonestDiD allows it,
             moderndid's create_sensitivity_results_rm refuses it, so only all_changes is written)

For each: targets on impact (l = e_1) and the average of the post-periods, methods C-LF and
Conditional, M̄ = 0, 0.5, 1, 1.5, 2, θ grid of 1000 points (HonestDiD's default) from the
identified set's bounds ∓ 20 sd(θ̂) (moderndid's create_sensitivity_results_rm).

Two sets of bounds are written for each case:

  moderndid      moderndid 0.2.0 as released (create_sensitivity_results_rm), for the
                 Conditional method (its C-LF run is left out to keep the script under an hour).
  all_changes    the same moderndid functions, but with the union over the polyhedra taken over
                 all T̲ pre-period changes as R HonestDiD does (computeConditionalCS_DeltaRM loops
                 s = -(T̲-1), ..., 0 with 1-based columns). moderndid's loop `range(min_s, 0)` with
                 0-based columns leaves out the oldest change δ_{-T̲+1} - δ_{-T̲}. Quipu follows R
                 and the paper's definition (max over every s < 0), so its tests read these.

The C-LF hybrid's least-favourable critical value is simulated (1000 draws, numpy's generator
with seed 0 in moderndid); the script solves each draw's program by enumerating the vertices of
its dual (vertex_lf_cv, checked against moderndid's own function at start), which is exact and
makes the run minutes instead of hours. Quipu draws its own, so the script also records the C-LF bounds
over seeds 0 and 1 of moderndid's draws (min and max) to show the Monte Carlo spread.
The three event studies run in parallel processes.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import platform
import sys
import warnings
from importlib.metadata import version

import numpy as np
import polars as pl

import moderndid
from moderndid import aggte, att_gt
from moderndid.didhonest import arp_nuisance
from moderndid.didhonest import create_sensitivity_results_rm
from moderndid.didhonest.delta.rm import rm as rm_module
from moderndid.didhonest.numba import create_first_differences_matrix

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT_JSON = os.path.join(HERE, "rm_reference.json")
MBARS = [0.0, 0.5, 1.0, 1.5, 2.0]
GRID_POINTS = 1000
ALPHA = 0.05
SEEDS = [0, 1]

warnings.filterwarnings("ignore")


def mpdta_event_study():
    df = pl.read_csv(os.path.join(REPO, "Datasets/mpdta/mpdta.csv"))
    gt = att_gt(data=df, yname="lemp", tname="year", gname="first.treat", idname="countyreal",
                est_method="dr", control_group="nevertreated", base_period="universal", boot=False)
    es = aggte(gt, type="dynamic")
    # As moderndid's honest_did (_honest_did_aggte) builds its input.
    event_times = np.asarray(es.event_times)
    ref = np.where(event_times == -1)[0][0]
    times = np.delete(event_times, ref)
    beta = np.delete(np.asarray(es.att_by_event), ref)
    inf = np.delete(np.asarray(es.influence_func), ref, axis=1)
    n = inf.shape[0]
    sigma = inf.T @ inf / (n * n)
    return [int(t) for t in times], beta, sigma, int(np.sum(times < -1))


def own_event_study():
    times = [-5, -4, -3, -2, 0, 1, 2]
    beta = np.array([0.03, -0.01, 0.04, 0.015, 0.21, 0.26, 0.18])
    sd = np.array([0.020, 0.022, 0.024, 0.026, 0.030, 0.034, 0.040])
    corr = np.array([[0.5 ** abs(i - j) for j in range(7)] for i in range(7)])
    sigma = corr * np.outer(sd, sd)
    return times, beta, sigma, 4


# --- R HonestDiD's union over all pre-period changes, through moderndid's functions ------------

def a_rm_all_changes(num_pre, num_post, m_bar, s, max_positive):
    """R's .create_A_RM: v_max_dif at 1-based columns (T+s, T+1+s), s = -(T-1)..0."""
    total = num_pre + num_post + 1
    a_tilde = create_first_differences_matrix(num_pre, num_post)
    v = np.zeros(total)
    v[num_pre + s - 1: num_pre + s + 1] = [-1, 1]
    if not max_positive:
        v = -v
    a_ub = np.vstack([np.tile(v, (num_pre, 1)), np.tile(m_bar * v, (num_post, 1))])
    A = np.vstack([a_tilde - a_ub, -a_tilde - a_ub])
    A = A[~(np.sum(A * A, axis=1) <= 1e-10)]
    return np.delete(A, num_pre, axis=1)


def with_r_constraint_matrix(fn):
    """Runs fn with moderndid's constraint builder replaced by R's indexing."""
    original = rm_module._create_relative_magnitudes_constraint_matrix

    def patched(num_pre_periods, num_post_periods, m_bar=1, s=0, max_positive=True, drop_zero_period=True):
        return a_rm_all_changes(num_pre_periods, num_post_periods, m_bar, s, max_positive)

    rm_module._create_relative_magnitudes_constraint_matrix = patched
    try:
        return fn()
    finally:
        rm_module._create_relative_magnitudes_constraint_matrix = original


def all_changes_interval(beta, sigma, num_pre, num_post, l_vec, m_bar, hybrid_flag):
    def run():
        s_values = list(range(-(num_pre - 1), 1))
        bounds = [rm_module._compute_identified_set_rm_fixed_s(s, m_bar, sign, beta, l_vec, num_pre, num_post)
                  for s in s_values for sign in (True, False)]
        id_lb = min(b.id_lb for b in bounds)
        id_ub = max(b.id_ub for b in bounds)
        post = slice(num_pre, num_pre + num_post)
        sd_theta = float(np.sqrt(l_vec @ sigma[post, post] @ l_vec))
        lb, ub = id_lb - 20 * sd_theta, id_ub + 20 * sd_theta
        accepts = np.zeros(GRID_POINTS)
        for s in s_values:
            for sign in (True, False):
                cs = rm_module._compute_conditional_cs_rm_fixed_s(
                    s=s, max_positive=sign, m_bar=m_bar, betahat=beta, sigma=sigma, num_pre_periods=num_pre,
                    num_post_periods=num_post, l_vec=l_vec.reshape(-1, 1) if False else l_vec, alpha=ALPHA,
                    hybrid_flag=hybrid_flag, hybrid_kappa=ALPHA / 10, post_period_moments_only=True,
                    grid_points=GRID_POINTS, grid_lb=lb, grid_ub=ub)
                accepts = np.maximum(accepts, cs["accept"])
        grid = np.linspace(lb, ub, GRID_POINTS)
        idx = np.where(accepts > 0)[0]
        interval = (float(grid[idx[0]]), float(grid[idx[-1]])) if len(idx) else (None, None)
        return interval, (float(lb), float(ub))
    return with_r_constraint_matrix(run)


ORIGINAL_LF_CV = arp_nuisance.compute_least_favorable_cv


def vertex_lf_cv(x_t=None, sigma=None, hybrid_kappa=0.05, sims=1000, rows_for_arp=None, seed=0):
    """moderndid's compute_least_favorable_cv with the same draws, each draw's program solved
    exactly by enumerating the vertices of its dual {γ ≥ 0 : σ'γ = 1, X'γ = 0} (a bounded
    polytope, the same for every draw) instead of one HiGHS call per draw: η* = max over vertices
    of γ'ξ. Same numbers to HiGHS's tolerance, a hundred times faster (the script was hours)."""
    if x_t is None:
        return ORIGINAL_LF_CV(x_t, sigma, hybrid_kappa, sims, rows_for_arp, seed)
    rng = np.random.default_rng(seed)
    if rows_for_arp is not None:
        x_t = x_t[rows_for_arp]
        sigma = sigma[np.ix_(rows_for_arp, rows_for_arp)]
    x_t = x_t.reshape(x_t.shape[0], -1)
    sd = np.sqrt(np.diag(sigma))
    w = np.column_stack([sd, x_t])
    n, m = w.shape
    rhs = np.zeros(m)
    rhs[0] = 1.0
    vertices = []
    for rows in itertools.combinations(range(n), m):
        wb = w[list(rows)]
        if abs(np.linalg.det(wb)) < 1e-12:
            continue
        gamma_b = np.linalg.solve(wb.T, rhs)
        if np.all(gamma_b >= -1e-12):
            gamma = np.zeros(n)
            gamma[list(rows)] = gamma_b
            vertices.append(gamma)
    xi = rng.multivariate_normal(mean=np.zeros(n), cov=sigma, size=sims)
    if not vertices:
        raise RuntimeError("Failed to compute any valid eta values")
    eta = np.max(xi @ np.array(vertices).T, axis=1)
    return float(np.quantile(eta, 1 - hybrid_kappa))


def check_vertex_lf_cv():
    """The vertex enumeration equals moderndid's own per-draw programs on a small case."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6, 2))
    root = rng.normal(size=(6, 6))
    sigma = root @ root.T
    ours, theirs = vertex_lf_cv(x, sigma, 0.005, seed=3), ORIGINAL_LF_CV(x, sigma, 0.005, seed=3)
    assert abs(ours - theirs) < 1e-7, (ours, theirs)


def with_lf_seed(seed, fn):
    def seeded(*args, **kwargs):
        kwargs["seed"] = seed
        return vertex_lf_cv(*args, **kwargs)

    arp_nuisance.compute_least_favorable_cv = seeded
    try:
        return fn()
    finally:
        arp_nuisance.compute_least_favorable_cv = ORIGINAL_LF_CV


def event_study(name):
    if name == "mpdta":
        return mpdta_event_study()
    times, beta, sigma, num_pre = own_event_study()
    if name == "own":
        return times, beta, sigma, num_pre
    keep = [3, 4, 5, 6]
    return [times[i] for i in keep], beta[keep], sigma[np.ix_(keep, keep)], 1


def targets(num_post):
    return {"on_impact": np.eye(num_post)[0], "average": np.full(num_post, 1.0 / num_post)}


def run_task(task):
    """One (event study, target, method): its intervals over M̄."""
    name, label, method, (times, beta, sigma, num_pre) = task
    num_post = len(beta) - num_pre
    l_vec = targets(num_post)[label]
    flag = "ARP" if method == "Conditional" else "LF"
    # moderndid as released, for the Conditional method of the event studies it accepts.
    stock = None
    if num_pre >= 2 and flag == "ARP":
        stock = create_sensitivity_results_rm(betahat=beta, sigma=sigma, num_pre_periods=num_pre,
                                              num_post_periods=num_post, l_vec=l_vec, m_bar_vec=MBARS,
                                              method=method, grid_points=GRID_POINTS, alpha=ALPHA)
    rows = []
    for i, m_bar in enumerate(MBARS):
        def interval_with_seed(seed):
            return with_lf_seed(seed, lambda: all_changes_interval(beta, sigma, num_pre, num_post, l_vec, m_bar, flag))
        interval, grid = interval_with_seed(SEEDS[0]) if flag == "LF" else \
            all_changes_interval(beta, sigma, num_pre, num_post, l_vec, m_bar, flag)
        row = {"mbar": m_bar, "lower": interval[0], "upper": interval[1],
               "grid_lower": grid[0], "grid_upper": grid[1],
               "grid_step": (grid[1] - grid[0]) / (GRID_POINTS - 1),
               "moderndid_lower": None if stock is None else float(stock["lb"][i]),
               "moderndid_upper": None if stock is None else float(stock["ub"][i])}
        if flag == "LF":
            spread = [interval] + [interval_with_seed(seed)[0] for seed in SEEDS[1:]]
            row["lower_over_seeds"] = [min(s[0] for s in spread), max(s[0] for s in spread)]
            row["upper_over_seeds"] = [min(s[1] for s in spread), max(s[1] for s in spread)]
        rows.append(row)
        print(f"{name} {label} {method} M̄={m_bar}: {row['lower']} {row['upper']} "
              f"(moderndid {row['moderndid_lower']} {row['moderndid_upper']})", flush=True)
    return task, {"method": method, "intervals": rows}


def main():
    check_vertex_lf_cv()
    names = ["mpdta", "own", "single_pre"]
    studies, inputs = {}, {}
    for name in names:
        inputs[name] = times, beta, sigma, num_pre = event_study(name)
        studies[name] = {"event_times": times, "estimates": beta.tolist(), "covariance": sigma.tolist(),
                         "pre_count": num_pre, "targets": [{"label": label, "weights": l.tolist(), "methods": []}
                                                          for label, l in targets(len(beta) - num_pre).items()]}
    tasks = [(name, label, method, inputs[name]) for method in ("Conditional", "C-LF") for name in names
             for label in ("on_impact", "average")]
    # Each result is written as soon as it is done (an interrupted run leaves the finished ones).
    with multiprocessing.Pool(3) as pool:
        for (name, label, _, _), result in pool.imap_unordered(run_task, tasks):
            target = next(t for t in studies[name]["targets"] if t["label"] == label)
            target["methods"].append(result)
            target["methods"].sort(key=lambda m: m["method"])
            write(studies)


def write(cases):
    doc = {
        "generator": "Tests/Fixtures/sensitivity/make_rm_reference.py",
        "versions": {"moderndid": version("moderndid"), "numpy": np.__version__, "scipy": version("scipy"),
                     "polars": version("polars"), "python": platform.python_version()},
        "alpha": ALPHA, "grid_points": GRID_POINTS, "mbar": MBARS, "cases": cases,
    }
    with open(OUT_JSON, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
