#!/usr/bin/env python3
"""Reference numbers for Quipu's analytic DiD power (Sources/Power/DesignPower.swift).

Peers and what each checks:
  * diff-diff 3.13.0 `PowerAnalysis` (power.py): Burlig, Preonas & Woerman (2020) eq. 2 for
    EQUICORRELATED errors only (psi_B = psi_A = psi_X = rho sigma^2) with normal critical values
    (Bloom 1995). Quipu reproduces it with `ErrorCovariance.equicorrelated` and `.normal`.
  * BPW's general serial-correlation formula (eq. 2 with separate psi_B, psi_A, psi_X), which
    diff-diff does not implement, is checked here against a DENSE computation: the exact variance
    a' (I_J kron Omega) a of the two-way fixed-effects DiD coefficient, with a the OLS weights from
    the full dummy regression, for AR(1) and a random constant-diagonal Omega.
  * BPW's residual-based formula (pcpanel's `pc_dd_analytic ... depvar()`, covariances estimated
    by `pc_dd_covar`), recomputed here from a pilot panel written to pilot.csv; its expectation is
    checked against the dense variance (E[residual covariance] = M Omega M).
  * Critical values: Student t with J degrees of freedom (serially correlated errors) as pcpanel.

Run: python3 -m venv /tmp/venv-power && /tmp/venv-power/bin/pip install -r requirements.txt &&
     /tmp/venv-power/bin/python make_power_reference.py   (writes power_reference.json, pilot.csv)
"""
import json
import os

import numpy as np
from scipy import stats
from diff_diff import PowerAnalysis

HERE = os.path.dirname(os.path.abspath(__file__))


def bpw_bracket(m, r, var, psi_b, psi_a, psi_x):
    """BPW eq. 2's bracket with population parameters."""
    return (m + r) / (m * r) * var + (m - 1) / m * psi_b + (r - 1) / r * psi_a - 2 * psi_x


def bpw_residual_bracket(m, r, var, psi_b, psi_a, j_est):
    """pcpanel's bracket for covariances estimated from two-way demeaned residuals."""
    t = m + r
    inner = t / (2 * m**2 * r**2) * var + (r - 1) / (2 * m**2 * r) * psi_a + (m - 1) / (2 * m * r**2) * psi_b
    return j_est * t**2 / (j_est - 1) * inner


def averages(omega, m, r):
    """sigma^2 and the three average covariances of a T x T covariance (constant diagonal)."""
    t = m + r
    var = float(np.mean(np.diag(omega)))
    pre = [omega[a, b] for a in range(m) for b in range(a + 1, m)]
    post = [omega[a, b] for a in range(m, t) for b in range(a + 1, t)]
    cross = [omega[a, b] for a in range(m) for b in range(m, t)]
    return var, (np.mean(pre) if pre else 0.0), (np.mean(post) if post else 0.0), float(np.mean(cross))


def dense_did_variance(omega, n_t, n_c, m, r):
    """Exact Var of the TWFE DiD coefficient: y_it = a_i + d_t + tau D_it + e_it, e_i ~ (0, Omega)."""
    t = m + r
    j = n_t + n_c
    rows = []
    for i in range(j):
        for s in range(t):
            unit = np.zeros(j); unit[i] = 1
            period = np.zeros(t - 1)
            if s > 0:
                period[s - 1] = 1
            d = 1.0 if (i < n_t and s >= m) else 0.0
            rows.append(np.concatenate([[d], unit, period]))
    x = np.array(rows)
    weights = np.linalg.solve(x.T @ x, x.T)[0]  # tau_hat = weights @ y
    sigma = np.kron(np.eye(j), omega)
    return float(weights @ sigma @ weights)


def ar1(var, rho, t):
    return var * np.array([[rho ** abs(a - b) for b in range(t)] for a in range(t)])


def mde_t(bracket, n_t, n_c, alpha, power, df):
    se = np.sqrt(bracket * (1 / n_t + 1 / n_c))
    return (stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * se, se


def power_t(effect, se, alpha, df):
    c = stats.t.ppf(1 - alpha / 2, df)
    return stats.t.cdf(abs(effect) / se - c, df) + stats.t.cdf(-abs(effect) / se - c, df)


def main():
    out = {"generator": "make_power_reference.py", "diff_diff": "3.13.0"}

    # 1. diff-diff equicorrelated cases (normal critical values).
    cases = []
    for (n_t, n_c, m, r, sigma, rho, alpha, power, effect) in [
        (48, 500, 5, 3, 1.0, 0.5, 0.05, 0.80, 0.2),
        (20, 30, 2, 2, 2.5, 0.3, 0.10, 0.90, 1.0),
        (100, 100, 1, 1, 1.0, 0.0, 0.05, 0.80, 0.3),
        (10, 200, 4, 6, 0.7, -0.05, 0.01, 0.70, 0.5),
    ]:
        pa = PowerAnalysis(alpha=alpha, power=power)
        mde = pa.mde(n_treated=n_t, n_control=n_c, sigma=sigma, n_pre=m, n_post=r, rho=rho).mde
        pw = pa.power(effect_size=effect, n_treated=n_t, n_control=n_c, sigma=sigma, n_pre=m, n_post=r, rho=rho).power
        omega = sigma**2 * ((1 - rho) * np.eye(m + r) + rho * np.ones((m + r, m + r)))
        dense = dense_did_variance(omega, min(n_t, 6), min(n_c, 7), m, r) / (1 / min(n_t, 6) + 1 / min(n_c, 7))
        assert abs(dense - bpw_bracket(m, r, sigma**2, rho * sigma**2, rho * sigma**2, rho * sigma**2)) < 1e-10
        cases.append({"treated": n_t, "controls": n_c, "pre": m, "post": r, "sigma": sigma, "rho": rho,
                      "alpha": alpha, "power": power, "effect": effect, "mde": float(mde), "power_at_effect": float(pw)})
    out["diff_diff_equicorrelated"] = cases

    # 2. General serial correlation (BPW eq. 2) against the dense variance; t critical values, df = J.
    rng = np.random.default_rng(20201)
    general = []
    for label, (n_t, n_c, m, r) in [("ar1", (4, 6, 3, 2)), ("random", (5, 3, 2, 4)), ("ar1_headline", (48, 500, 5, 3))]:
        t = m + r
        if label.startswith("ar1"):
            omega = ar1(1.3, 0.6, t)
        else:
            a = rng.normal(size=(t, t))
            cov = a @ a.T + t * np.eye(t)
            d = np.sqrt(np.diag(cov))
            omega = 0.8 * cov / np.outer(d, d)  # constant diagonal 0.8
        var, pb, pa_, px = averages(omega, m, r)
        bracket = bpw_bracket(m, r, var, pb, pa_, px)
        small_t, small_c = min(n_t, 6), min(n_c, 7)
        dense = dense_did_variance(omega, small_t, small_c, m, r)
        assert abs(dense - bracket * (1 / small_t + 1 / small_c)) < 1e-10, (label, dense, bracket)
        df = n_t + n_c
        mde, se = mde_t(bracket, n_t, n_c, 0.05, 0.8, df)
        general.append({"label": label, "treated": n_t, "controls": n_c, "pre": m, "post": r,
                        "variance": var, "pre_covariance": pb, "post_covariance": pa_, "cross_covariance": px,
                        "dense_variance": dense / (1 / small_t + 1 / small_c), "std_error": float(se),
                        "mde": float(mde), "power_at_effect": float(power_t(0.25, se, 0.05, df)), "effect": 0.25})
    out["general"] = general

    # 3. The residual-based formula from a pilot panel (pcpanel's pc_dd_covar + pc_dd_analytic).
    units, years, rho = 300, list(range(2008, 2018)), 0.5
    e = np.zeros((units, len(years)))
    e[:, 0] = rng.normal(size=units)
    for s in range(1, len(years)):
        e[:, s] = rho * e[:, s - 1] + np.sqrt(1 - rho**2) * rng.normal(size=units)
    y = 3 + rng.normal(size=(units, 1)) + 0.1 * np.arange(len(years))[None, :] + e
    missing = {(0, 3), (7, 0), (7, 9), (12, 5)}  # gaps: these units leave the windows that cover them
    with open(os.path.join(HERE, "pilot.csv"), "w") as f:
        f.write("firm,year,y\n")
        for i in range(units):
            for s, year in enumerate(years):
                if (i, s) in missing:
                    continue
                f.write(f"{i + 1},{year},{float(y[i, s])!r}\n")
    pilot = []
    for (m, r, n_t, n_c) in [(5, 3, 48, 500), (2, 2, 30, 60), (1, 1, 40, 40), (3, 1, 25, 75)]:
        t = m + r
        sums = np.zeros(4); n_sum = 0.0; windows = 0
        for start in range(len(years) - t + 1):
            keep = [i for i in range(units) if all((i, s) not in missing for s in range(start, start + t))]
            block = y[keep, start:start + t]
            res = block - block.mean(axis=1, keepdims=True) - block.mean(axis=0, keepdims=True) + block.mean()
            n = len(keep)
            prod = res.T @ res / n
            var, pb, pa_, px = np.mean(np.diag(prod)), *averages(prod, m, r)[1:]
            sums += [var, pb, pa_, px]; n_sum += n; windows += 1
        var, pb, pa_, px = sums / windows
        j_est = n_sum / windows
        bracket = bpw_residual_bracket(m, r, var, pb, pa_, j_est)
        mde, se = mde_t(bracket, n_t, n_c, 0.05, 0.8, n_t + n_c)
        # The formula's expectation is the true variance: with E[residual cov] = M Omega M (unit
        # demeaning; the period demeaning's (J-1)/J is what J/(J-1) undoes) it is exact.
        omega = ar1(1.0, rho, t)
        demean = np.eye(t) - np.ones((t, t)) / t
        tv, tb, ta, tx = averages(omega, m, r)
        ev, eb, ea, _ = averages(demean @ omega @ demean, m, r)
        ev = float(np.mean(np.diag(demean @ omega @ demean)))
        assert abs(bpw_residual_bracket(m, r, ev, eb, ea, 1e12) - bpw_bracket(m, r, tv, tb, ta, tx)) < 1e-9
        pilot.append({"treated": n_t, "controls": n_c, "pre": m, "post": r, "variance": float(var),
                      "pre_covariance": float(pb), "post_covariance": float(pa_), "cross_covariance": float(px),
                      "pilot_units": float(j_est), "windows": windows, "std_error": float(se), "mde": float(mde),
                      "true_std_error": float(np.sqrt(bpw_bracket(m, r, tv, tb, ta, tx) * (1 / n_t + 1 / n_c)))})
    out["pilot"] = pilot

    with open(os.path.join(HERE, "power_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
