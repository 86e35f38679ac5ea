"""`quipu did` (TWFE and event study) against the equivalent pyfixest regressions and the reference.

For a panel with unit U, period T and cohort G (first treated period, 0 = never):
  TWFE         y ~ D | U + T,          D = 1{G > 0 and T >= G}
  event study  y ~ i(rel, ref = r) | U + T,  rel = T - G for treated units (clipped to the window
               when --window LOW:HIGH bins the end points), r for never-treated units
with quipu's default covariance (clustered by unit) or the one asked for.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import compare as C
import specs as S

MPDTA = {"name": "mpdta", "path": "Datasets/mpdta/mpdta.csv", "y": "lemp", "unit": "countyreal",
         "time": "year", "cohort": "first.treat", "cluster2": None, "weights": None}


def random_did(rng, dataset: dict, ident: str) -> dict:
    spec = {"id": ident, "kind": "did", "data": dataset["name"], "path": dataset["path"],
            "y": dataset["y"], "unit": dataset["unit"], "time": dataset["time"], "cohort": dataset["cohort"]}
    spec["event_study"] = bool(rng.random() < 0.6)
    spec["ref"] = -1 if rng.random() < 0.8 else -2
    spec["window"] = None
    if spec["event_study"] and rng.random() < 0.5:
        lo = -int(rng.integers(2, 4))
        spec["window"] = [lo, int(rng.integers(1, 3))]
        if spec["ref"] <= lo:
            spec["ref"] = -1
    spec["cluster2"] = dataset.get("cluster2")
    choices = ["default", "iid", "hetero"] + (["cluster2"] if dataset.get("cluster2") else [])
    spec["vcov"] = str(rng.choice(choices))
    spec["weights"] = dataset["weights"] if dataset.get("weights") and rng.random() < 0.3 else None
    spec["formula"] = describe(spec)
    return spec


def describe(spec: dict) -> str:
    text = f"did {spec['y']} unit={spec['unit']} time={spec['time']} cohort={spec['cohort']} vcov={spec['vcov']}"
    if spec["event_study"]:
        text += f" event-study ref={spec['ref']}" + (f" window={spec['window'][0]}:{spec['window'][1]}" if spec["window"] else "")
    if spec.get("weights"):
        text += f" weights={spec['weights']}"
    return text


def quipu_args(spec: dict, data_path: str) -> list[str]:
    args = ["did", "--data", data_path, "--outcome", spec["y"], "--unit", spec["unit"], "--time", spec["time"],
            "--cohort", spec["cohort"], "--estimator", "twfe", "--format", "json"]
    if spec["event_study"]:
        args += ["--event-study", "--ref", str(spec["ref"])]
        if spec["window"]:
            args += ["--window", f"{spec['window'][0]}:{spec['window'][1]}"]
    if spec["vcov"] in ("iid", "hetero"):
        args += ["--vcov", spec["vcov"]]
    elif spec["vcov"] == "cluster2":
        args += ["--vcov", f"cluster:{spec['cluster2']}"]
    if spec.get("weights"):
        args += ["--weights", spec["weights"]]
    return args


def derived_frame(spec: dict, df: pd.DataFrame) -> pd.DataFrame:
    g = df[spec["cohort"]].to_numpy(float)
    t = df[spec["time"]].to_numpy(float)
    treated = np.nan_to_num(g, nan=0.0) > 0
    rel = t - g
    if spec["window"]:
        rel = np.clip(rel, spec["window"][0], spec["window"][1])
    out = pd.DataFrame({"y": df[spec["y"]].to_numpy(float), "unit": df[spec["unit"]].to_numpy(float),
                        "time": t, "D": (treated & (t >= g)).astype(float),
                        "rel": np.where(treated, rel, spec["ref"]).astype(float)})
    if spec.get("cluster2"):
        out["grp"] = df[spec["cluster2"]].to_numpy(float)
    if spec.get("weights"):
        out["w"] = df[spec["weights"]].to_numpy(float)
    out.loc[~np.isfinite(g), "D"] = np.nan
    return out


def regression_specs(spec: dict) -> list[tuple[str, dict]]:
    """(quipu estimand, feols spec on the derived frame)."""
    vcov = {"default": ["cluster", "unit"], "iid": "iid", "hetero": "hetero",
            "cluster2": ["cluster", "grp"]}[spec["vcov"]]
    weights = "w" if spec.get("weights") else None
    base = {"y": "y", "fe": ["unit", "time"], "vcov": vcov, "weights": weights, "intercept": True}
    out = [("twfe", dict(base, terms=[{"kind": "var", "name": "D"}], id=spec["id"] + "/twfe"))]
    if spec["event_study"]:
        out.append(("event_study", dict(base, terms=[{"kind": "i", "factor": "rel", "ref": [spec["ref"]], "var": None}],
                                        id=spec["id"] + "/es")))
    for _, s in out:
        s["data"] = spec["data"]
        s["formula"] = S.formula(s)
    return out


def quipu_did_result(raw: dict, estimand: str) -> dict:
    if "error" in raw:
        return {"error": raw["error"]}
    j = raw["json"]
    coef, se = {}, {}
    # TWFE is one estimator among did's aggregates (schema 1.1): its coefficient is the `simple`
    # aggregate, its event study the `dynamic` aggregates by event time.
    for a in j.get("aggregates", []):
        if a.get("estimator") != "twfe":
            continue
        if estimand == "twfe" and a["type"] == "simple":
            name = "D"
        elif estimand == "event_study" and a["type"] == "dynamic" and a["by"]:
            name = f"rel::{a['by'][0]['event_time']}"
        else:
            continue
        coef[name] = a["estimate"]
        se[name] = a["std_error"]
    return {"nobs": j.get("nobs"), "coef": coef, "se": se, "names": list(coef), "collinear": []}


def judge_did(spec: dict, raw_q: dict, df: pd.DataFrame) -> list[dict]:
    frame = derived_frame(spec, df)
    records = []
    for estimand, rspec in regression_specs(spec):
        r = C.reference_result(rspec, frame)
        empty = "error" in r and "no observations" in r["error"]
        p = (C.run_pyfixest_isolated if empty else C.run_pyfixest)(rspec, frame)
        q = quipu_did_result(raw_q, estimand)
        rec = C.judge(dict(rspec, formula=f"{spec['formula']} [{estimand}: {rspec['formula']}]"), q, p, r)
        rec["id"] = rspec["id"]
        rec["_reference"] = r
        rec["_quipu"] = q
        rec["_spec"] = rspec
        records.append(rec)
    return records


def fixest_jobs(spec: dict, df: pd.DataFrame, scratch: str) -> list[dict]:
    """R fixest's jobs for a did design: its regressions on the derived frame, written as CSV."""
    import os
    import rfixest
    path = os.path.join(scratch, f"did_{spec['id']}.csv")
    derived_frame(spec, df).to_csv(path, index=False, float_format="%.17g", na_rep="")
    return [rfixest.job(rspec, path) for _, rspec in regression_specs(spec)]
