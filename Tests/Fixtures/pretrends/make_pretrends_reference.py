#!/usr/bin/env python3
"""Generate the pre-trend power reference fixture for Quipu (Roth 2022, "Pretest with Caution").

    python3 -m venv /tmp/venv-pretest && /tmp/venv-pretest/bin/pip install -r Tests/Fixtures/pretrends/requirements.txt
    /tmp/venv-pretest/bin/python Tests/Fixtures/pretrends/make_pretrends_reference.py

Writes pretrends_reference.json next to this script: for each event study, its pre-period
estimates, their covariance, the relative event times and the reference period (the inputs
Quipu's PretrendPower reads), and what diff-diff 3.13.0's `PreTrendsPower` reports with the Wald
form of the pre-test (`pretest_form="wald"`: noncentral χ² on δ'Σ⁻¹δ with K degrees of freedom)
against a linear violation δ_t = γ·(t − reference) (`violation_type="linear"`, Roth's γ units):
the minimum detectable slope γ at 50% and 80% power (`mdv`) and the power at fixed slopes.

Also scipy's ncx2.sf at a few points (noncentral_chi2_sf), the distribution PreTrendsPower uses.

Event studies:
  mpdta_cs_universal  Callaway–Sant'Anna on Datasets/mpdta (lemp, first.treat, never-treated
                      controls, universal base period, analytic SEs), event-study aggregation:
                      pre periods -4, -3, -2 against the reference -1.
  own_irregular       a constructed event study of our own: five pre periods -6..-2 with an
                      AR(1)-correlated covariance of unequal variances (no estimation), to test
                      the linear weights beyond three periods and a non-diagonal covariance.
"""
import json
import os
from importlib.metadata import version

import numpy as np
import pandas as pd
from diff_diff import CallawaySantAnna
from diff_diff.pretrends import PreTrendsPower

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
POWERS = [0.5, 0.8]
SLOPES = [0.005, 0.01, 0.02]


def reference(name, results, pre_periods, effects, vcov, relative_times, reference_period, description):
    entry = {"name": name, "description": description, "reference_period": reference_period,
             "event_times": [int(t) for t in pre_periods], "relative_times": [float(t) for t in relative_times],
             "estimates": [float(x) for x in effects], "covariance": [[float(x) for x in row] for row in vcov],
             "alpha": 0.05, "mdv": {}, "power_at_slope": {}}
    for power in POWERS:
        fitted = PreTrendsPower(alpha=0.05, power=power, violation_type="linear", pretest_form="wald").fit(results)
        assert np.allclose(fitted.vcov, vcov, rtol=0, atol=0), "the fixture's covariance must be the one PreTrendsPower read"
        assert np.allclose(fitted.pre_period_effects, effects, rtol=0, atol=0)
        assert np.allclose(fitted.violation_weights, np.abs(relative_times), rtol=0, atol=0)
        entry["mdv"][str(power)] = float(fitted.mdv)
        entry["critical_value"] = float(fitted.critical_value)
    for slope in SLOPES:
        fitted = PreTrendsPower(alpha=0.05, power=0.8, violation_type="linear", pretest_form="wald").fit(results, M=slope)
        entry["power_at_slope"][str(slope)] = float(fitted.power)
    return entry


def own_event_study():
    periods = [-6, -5, -4, -3, -2]
    sd = np.array([0.030, 0.026, 0.022, 0.020, 0.018])
    rho = 0.45
    corr = np.array([[rho ** abs(i - j) for j in range(5)] for i in range(5)])
    vcov = corr * np.outer(sd, sd)
    effects = np.array([0.011, -0.004, 0.007, 0.002, -0.006])
    return periods, effects, vcov


def main():
    data = pd.read_csv(os.path.join(ROOT, "Datasets", "mpdta", "mpdta.csv"))
    data = data.rename(columns={"first.treat": "first_treat"})
    cs = CallawaySantAnna(control_group="never_treated", base_period="universal", estimation_method="dr")
    fit = cs.fit(data, outcome="lemp", unit="countyreal", time="year", first_treat="first_treat")
    study = fit.aggregate("event_study")
    probe = PreTrendsPower(alpha=0.05, power=0.8, violation_type="linear", pretest_form="wald").fit(study)
    pre = [-4, -3, -2]
    entries = [reference("mpdta_cs_universal", study, pre, probe.pre_period_effects, probe.vcov,
                         np.array(pre) - (-1), -1,
                         "Callaway–Sant'Anna (never-treated controls, universal base, dr, analytic) on mpdta lemp: event study")]

    periods, effects, vcov = own_event_study()
    entries.append(own_reference(periods, effects, vcov))
    from scipy import stats
    checks = [(3, 7.81, 2.5), (5, 11.07, 12.0), (12, 21.0, 40.0), (1, 0.5, 0.01), (60, 79.1, 150.0)]
    noncentral = [{"df": k, "x": x, "noncentrality": nc, "sf": float(stats.ncx2.sf(x, df=k, nc=nc))} for k, x, nc in checks]
    document = {"generator": "Tests/Fixtures/pretrends/make_pretrends_reference.py",
                "versions": {"diff-diff": version("diff-diff"), "numpy": version("numpy"), "scipy": version("scipy"),
                             "pandas": version("pandas")},
                "violation": "linear: delta_t = slope * |t - reference| (Roth 2022 gamma units), Wald pretest (noncentral chi2, K df)",
                "event_studies": entries,
                "noncentral_chi2_sf": noncentral}
    with open(os.path.join(HERE, "pretrends_reference.json"), "w") as handle:
        json.dump(document, handle, indent=1)
        handle.write("\n")


def own_reference(periods, effects, vcov):
    """PreTrendsPower's Wald computations on a constructed covariance, through its own methods."""
    relative = np.array(periods, dtype=float) - (-1)
    entry = {"name": "own_irregular", "reference_period": -1,
             "description": "constructed: pre periods -6..-2, AR(1) correlation 0.45, unequal variances",
             "event_times": periods, "relative_times": [float(t) for t in relative],
             "estimates": [float(x) for x in effects], "covariance": [[float(x) for x in row] for row in vcov],
             "alpha": 0.05, "mdv": {}, "power_at_slope": {}}
    for power in POWERS:
        tool = PreTrendsPower(alpha=0.05, power=power, violation_type="linear", pretest_form="wald")
        weights = tool._get_violation_weights(len(periods), relative_times=relative)
        entry["mdv"][str(power)] = float(tool._compute_mdv(weights, vcov))
        entry["critical_value"] = float(tool._compute_power(1.0, weights, vcov)[3])
    tool = PreTrendsPower(alpha=0.05, power=0.8, violation_type="linear", pretest_form="wald")
    weights = tool._get_violation_weights(len(periods), relative_times=relative)
    for slope in SLOPES:
        entry["power_at_slope"][str(slope)] = float(tool._compute_power(slope, weights, vcov)[0])
    return entry


if __name__ == "__main__":
    main()
