"""Writes a fixed sample of the differential specifications as fixtures for `make test`.

The expected values are the dense reference's (reference.py), never quipu's; pyfixest's agreement
with the reference is recorded beside each case for information.
"""
from __future__ import annotations

import json
import os
import shutil

import compare as C
import did_diff

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

TOLERANCES = {"estimate": "|quipu - ref| <= 1e-6 * (|ref| + se_ref)", "estimate_rel": C.COEF_TOL,
              "std_error_rel": C.SE_TOL, "nobs": "exact", "terms": "the same set of names",
              "std_error_null": "null in the fixture: quipu must report null (undefined)"}


DID_CASES = 8


def _features(spec: dict) -> tuple:
    if spec.get("kind") == "did":
        return ("did", spec["data"].split("_")[0], spec["event_study"], bool(spec["window"]))
    v = spec["vcov"]
    vk = v if isinstance(v, str) else f"cluster{len(v) - 1}"
    return (spec["data"].split("_")[0], vk, bool(spec.get("weights")), min(len(spec["fe"]), 2),
            any(t["kind"] == "i" for t in spec["terms"]))


def _usable(spec: dict) -> bool:
    if spec.get("kind") == "did":
        return all("error" not in r["_reference"] for r in spec["_records"])
    if "_result" not in spec:
        return False
    r = spec["_result"][2]
    if "error" in r and "no observations" not in r["error"]:
        return False  # only refusals every peer shares are pinned (see the conventions in README.md)
    # keep clear of the collinearity threshold: a decision 3x from collin_tol is too fragile to pin
    return "error" in r or r.get("pivot_margin_decades", 99) >= 1.0


def select(all_specs: list[dict], count: int) -> list[dict]:
    edges = [s for s in all_specs if s["id"].startswith("edge-") and _usable(s)]
    chosen, seen = list(edges), set()
    rest = [s for s in all_specs if not s["id"].startswith("edge-") and _usable(s)]
    dids = [s for s in rest if s.get("kind") == "did"]
    for s in dids:  # a few did cases first: TWFE and event studies on each panel
        f = _features(s)
        if f not in seen and sum(c.get("kind") == "did" for c in chosen) < DID_CASES:
            seen.add(f); chosen.append(s)
    for s in rest:  # one of each combination of features first
        if len(chosen) >= count:
            break
        f = _features(s)
        if f not in seen:
            seen.add(f); chosen.append(s)
    for s in rest:
        if len(chosen) >= count:
            break
        if s not in chosen:
            chosen.append(s)
    return chosen


def _case_feols(spec: dict, data_rel: str) -> dict:
    q, p, r, rec = spec["_result"]
    args = C.quipu_feols_args(spec, data_rel)
    case = {"id": spec["id"], "kind": "feols", "args": args, "formula": spec["formula"],
            "pyfixest_agrees_with_reference": rec["pyfixest_agrees"]}
    if rec["class"] != "agree" and not rec["pyfixest_agrees"]:
        case["pyfixest_difference"] = rec.get("name") if rec["quipu_agrees"] else "see the differential report"
    if "error" in r:
        case.update(expect="error", reason=r["error"])
        return case
    case.update(expect="estimate", nobs=r["nobs"], coefficients=[
        {"term": n, "estimate": r["coef"][n], "std_error": r["se"][n]} for n in r["names"]])
    if r.get("collinear"):
        case["dropped_collinear"] = r["collinear"]
    return case


def _case_did(spec: dict, data_rel: str) -> dict:
    args = did_diff.quipu_args(spec, data_rel)
    case = {"id": spec["id"], "kind": "did", "args": args, "formula": spec["formula"], "coefficients": [],
            "expect": "estimate", "pyfixest_agrees_with_reference": all(r["pyfixest_agrees"] for r in spec["_records"])}
    for rec in spec["_records"]:
        ref = rec["_reference"]
        case["nobs"] = ref["nobs"]
        for n, v in ref["coef"].items():
            term = "treated" if n == "D" else "event_time::" + n.split("::")[1]
            estimand = "twfe" if n == "D" else "event_study"
            case["coefficients"].append({"term": term, "estimand": estimand, "estimate": v, "std_error": ref["se"][n]})
    return case


def write(directory: str, all_specs: list[dict], schemas: dict, paths: dict, count: int, versions: dict) -> None:
    os.makedirs(directory, exist_ok=True)
    chosen = select(all_specs, count)
    rel_dir = os.path.relpath(os.path.abspath(directory), REPO)
    cases, copied = [], set()
    for spec in chosen:
        src = paths[spec["data"]]
        if spec["data"] == "mpdta":
            data_rel = did_diff.MPDTA["path"]
        else:
            data_rel = os.path.join(rel_dir, os.path.basename(src))
            if src not in copied:
                shutil.copyfile(src, os.path.join(directory, os.path.basename(src)))
                copied.add(src)
        cases.append(_case_did(spec, data_rel) if spec.get("kind") == "did" else _case_feols(spec, data_rel))
    doc = {
        "generator": "Tests/Differential/differential.py --write-fixtures " + rel_dir
                     + " (see Tests/Differential/README.md for the exact command)",
        "source": "expected values from the dense reference (Tests/Differential/reference.py: explicit "
                  "dummies, column-scaled least squares, fixest 0.13 rules); pyfixest 0.60 recorded for information",
        "versions": versions, "tolerances": TOLERANCES, "cases": C.jsonable(cases),
    }
    with open(os.path.join(directory, "differential_reference.json"), "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"fixtures: {len(cases)} cases written to {directory}")
