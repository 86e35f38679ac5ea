"""Reference values for `quipu did --estimator ddd` from moderndid 0.2.0's `ddd` (a port of R
triplediff, Ortiz-Villavicencio & Sant'Anna 2025) on its own simulated panels.

Run from this folder in a virtual environment with requirements.txt:
    python3 -m venv /tmp/venv-ddd && /tmp/venv-ddd/bin/pip install -r requirements.txt
    /tmp/venv-ddd/bin/python make_ddd_reference.py
Writes ddd_2periods.csv, ddd_staggered.csv (the panels, with a `cohort` column in quipu's
coding: the first treated period, 0 for never treated) and ddd_reference.json.

Besides moderndid's reported standard errors, each estimate carries `se_if`: the standard error
sqrt(mean(psi^2) / n) of the influence function moderndid returns, with the estimated
cohort-share weights' term ("wif") that R triplediff's `agg_ddd` and R did's `aggte` add to the
simple, event-study and calendar aggregates (moderndid 0.2.0 adds it to the group aggregate only;
see README.md). These are the numbers quipu's one inference engine computes from the same
influence functions.
"""

import json
import warnings

import numpy as np
import polars as pl
import moderndid.didtriple as ddd_module
from moderndid.didtriple import agg_ddd, ddd

warnings.filterwarnings("ignore")
SEED, UNITS = 20251, 500
COVARIATES = "~ cov1 + cov2 + cov3 + cov4"


def number(value):
    """A float for JSON, None where it is undefined (NaN)."""
    return float(value) if np.isfinite(value) else None


def se_of(psi):
    psi = np.asarray(psi, dtype=float)
    return float(np.sqrt(np.mean(psi ** 2) / psi.shape[0]))


def weight_influence(keepers, pg, unit_groups, groups):
    """R triplediff's get_weight_influence: the estimated cohort shares' influence (n x |keepers|)."""
    indicators = np.column_stack([(unit_groups == groups[k]).astype(float) for k in keepers])
    centred = indicators - pg[keepers]
    total = pg[keepers].sum()
    return centred / total - np.outer(centred.sum(axis=1), pg[keepers] / total ** 2)


def staggered(data, method, control, base, covariates):
    result = ddd(data=data, yname="y", tname="time", idname="id", gname="group", pname="partition",
                 xformla=covariates, control_group=control, base_period=base, est_method=method)
    psi = result.inf_func_mat
    n = result.n
    cells = [{"group": int(g), "time": int(t), "estimate": float(a), "std_error": number(s),
              "se_if": se_of(psi[:, j])}
             for j, (g, t, a, s) in enumerate(zip(result.groups, result.times, result.att, result.se))]
    groups, times, att = np.asarray(result.groups), np.asarray(result.times), np.asarray(result.att)
    unit_groups = np.asarray(result.unit_groups)
    pg_cohort = {int(g): float(np.mean(unit_groups == g)) for g in result.glist}
    pg = np.array([pg_cohort[int(g)] for g in groups])
    out = {"settings": {"est_method": method, "control_group": control, "base_period": base,
                        "covariates": covariates is not None, "units": int(n)}, "att_gt": cells}
    # simple: post cells weighted by cohort share, with the weights' influence.
    keep = np.where(groups <= times)[0]
    simple = agg_ddd(result, type="simple", boot=False, cband=False)
    weights = pg[keep] / pg[keep].sum()
    psi_simple = psi[:, keep] @ weights + weight_influence(keep, pg, unit_groups, groups) @ att[keep]
    out["simple"] = {"estimate": float(simple.overall_att), "std_error": number(simple.overall_se), "se_if": se_of(psi_simple)}
    # event study: per event time, then the mean over e >= 0.
    study = agg_ddd(result, type="eventstudy", boot=False, cband=False)
    dynamic, positive = [], []
    for e, a, s in zip(study.egt, study.att_egt, study.se_egt):
        which = np.where(times - groups == e)[0]
        w = pg[which] / pg[which].sum()
        psi_e = psi[:, which] @ w + weight_influence(which, pg, unit_groups, groups) @ att[which]
        dynamic.append({"event_time": int(e), "estimate": float(a), "std_error": number(s), "se_if": se_of(psi_e)})
        if e >= 0:
            positive.append(psi_e)
    out["dynamic"] = dynamic
    out["dynamic_overall"] = {"estimate": float(study.overall_att), "std_error": number(study.overall_se),
                              "se_if": se_of(np.mean(positive, axis=0))}
    # group: per cohort (no weights' influence within a cohort), then cohort-share weighted.
    by_group = agg_ddd(result, type="group", boot=False, cband=False)
    out["group"] = [{"group": int(g), "estimate": float(a), "std_error": number(s)}
                    for g, a, s in zip(by_group.egt, by_group.att_egt, by_group.se_egt)]
    out["group_overall"] = {"estimate": float(by_group.overall_att), "std_error": number(by_group.overall_se)}
    return out


def main():
    reference = {"moderndid": "0.2.0", "seed": SEED, "units": UNITS}
    two = ddd_module.gen_ddd_2periods(n=UNITS, dgp_type=1, random_state=SEED)["data"]
    two = two.with_columns((pl.col("state") * 2).alias("cohort"))
    two.select(["id", "time", "y", "cohort", "partition", "cov1", "cov2", "cov3", "cov4"]).write_csv("ddd_2periods.csv", float_precision=12)
    two = pl.read_csv("ddd_2periods.csv")  # the values quipu reads
    reference["two_periods"] = {}
    for method in ["dr", "ipw", "reg"]:
        for label, formula in [("cov", COVARIATES), ("nocov", None)]:
            result = ddd(data=two, yname="y", tname="time", idname="id", gname="cohort", pname="partition",
                         xformla=formula, est_method=method)
            reference["two_periods"][f"{method}_{label}"] = {
                "settings": {"est_method": method, "covariates": formula is not None},
                "estimate": float(result.att), "std_error": number(result.se), "se_if": se_of(result.att_inf_func),
                "did_atts": {k: float(v) for k, v in result.did_atts.items()},
                "subgroup_counts": result.subgroup_counts}
    many = ddd_module.gen_ddd_mult_periods(n=UNITS, dgp_type=1, random_state=SEED)["data"]
    many = many.with_columns(pl.col("group").alias("cohort"))
    many.select(["id", "time", "y", "cohort", "group", "partition", "cov1", "cov2", "cov3", "cov4"]).write_csv("ddd_staggered.csv", float_precision=12)
    many = pl.read_csv("ddd_staggered.csv")
    reference["staggered"] = {}
    for name, method, control, base, formula in [
        ("dr_never", "dr", "nevertreated", "varying", COVARIATES),
        ("ipw_never", "ipw", "nevertreated", "varying", COVARIATES),
        ("reg_never", "reg", "nevertreated", "varying", COVARIATES),
        ("dr_never_nocov", "dr", "nevertreated", "varying", None),
        ("dr_notyet", "dr", "notyettreated", "varying", COVARIATES),
        ("reg_notyet", "reg", "notyettreated", "varying", COVARIATES),
        ("dr_universal", "dr", "nevertreated", "universal", COVARIATES),
    ]:
        reference["staggered"][name] = staggered(many, method, control, base, formula)
    # Gaps: 60 units lose one period each; ddd_mp then uses each cell's units observed in both
    # of its periods (its common ids), as quipu does on a panel with gaps.
    rng = np.random.default_rng(7)
    dropped = rng.choice(np.arange(1, UNITS + 1), 60, replace=False).tolist()
    gaps = many.filter(~(pl.col("id").is_in(dropped) & (pl.col("time") == 1 + pl.col("id") % 3)))
    gaps.write_csv("ddd_staggered_gaps.csv", float_precision=12)
    gaps = pl.read_csv("ddd_staggered_gaps.csv")
    reference["staggered_gaps"] = {"dr_never": staggered(gaps, "dr", "nevertreated", "varying", COVARIATES),
                                   "dr_notyet": staggered(gaps, "dr", "notyettreated", "varying", COVARIATES)}
    with open("ddd_reference.json", "w") as handle:
        json.dump(reference, handle, indent=1, sort_keys=True, allow_nan=False)
        handle.write("\n")


if __name__ == "__main__":
    main()
