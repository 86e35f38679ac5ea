"""R fixest as a reference where it is installed: detection and batched runs of fixest_batch.R.

Every specification of a run goes to R in a few batches (one `Rscript` process per batch, which
reads the batch's specifications as JSON and writes every result as JSON), not one R process per
specification: R and fixest take about a second to load. When `Rscript` or fixest is missing the
harness runs as before and says that R fixest was skipped.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import compare as C
import reference

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "fixest_batch.R")


def detect() -> tuple[str | None, str]:
    """(fixest's version, why not) — the version when Rscript and fixest are installed."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None, "Rscript not found"
    try:
        proc = subprocess.run([rscript, "-e", 'cat(as.character(packageVersion("fixest")))'],
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"Rscript failed: {exc}"
    if proc.returncode != 0 or not proc.stdout.strip():
        return None, "the R package fixest is not installed"
    probe = subprocess.run([rscript, "-e", "library(jsonlite); library(data.table)"],
                           capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        return None, "the R packages jsonlite and data.table are needed beside fixest"
    return proc.stdout.strip(), ""


def job(spec: dict, path: str) -> dict:
    """The part of a specification fixest_batch.R needs (the formula is quipu's, fixest's syntax)."""
    return {"id": spec["id"], "path": path, "formula": spec["formula"], "y": spec["y"], "vcov": spec["vcov"],
            "weights": spec.get("weights"), "fe": [reference.fe_columns(f) for f in spec["fe"]]}


def run_batches(jobs: list[dict], scratch: str, batch_size: int = 200, timeout: float = 3600) -> dict:
    """id -> result (normalised as the other computations' results), one Rscript per batch."""
    results: dict = {}
    for start in range(0, len(jobs), batch_size):
        batch = jobs[start:start + batch_size]
        inp = os.path.join(scratch, f"rfixest_in_{start}.json")
        out = os.path.join(scratch, f"rfixest_out_{start}.json")
        with open(inp, "w") as fh:
            json.dump({"specs": batch}, fh)
        try:
            proc = subprocess.run(["Rscript", SCRIPT, inp, out], capture_output=True, text=True, timeout=timeout)
            failure = None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["R failed"])[-1]
        except subprocess.TimeoutExpired:
            failure = f"Rscript timed out after {timeout}s"
        if failure:
            for j in batch:
                results[j["id"]] = {"error": f"fixest batch failed: {failure[:200]}", "batch_failed": True}
            continue
        with open(out) as fh:
            raw = json.load(fh)["results"]
        for j in batch:
            results[j["id"]] = normalise(raw.get(j["id"], {"error": "no result"}))
    return results


def normalise(r: dict) -> dict:
    if "error" in r:
        return {"error": str(r["error"])}
    names = [C.normalize(n) for n in _list(r.get("names"))]
    coef = {C.normalize(k): _num(v) for k, v in (r.get("coef") or {}).items()}
    se = {C.normalize(k): _num(v) for k, v in (r.get("se") or {}).items()}
    return {"nobs": int(r["nobs"]), "names": names, "coef": coef, "se": se,
            "collinear": [C.normalize(n) for n in _list(r.get("collinear"))]}


def _list(x) -> list:
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def _num(v):
    return float("nan") if v is None else float(v)


# ---------------------------------------------------------------------------------------------
# classification of R fixest's disagreements with the dense reference
# ---------------------------------------------------------------------------------------------
def _se_ratio_matches(r: dict, mis: list[dict], k_other: int | None) -> bool:
    """Whether every standard-error difference is sqrt((N - K) / (N - k_other)), K the reference's."""
    n, k = r.get("nobs"), r.get("df_k")
    if n is None or k_other is None or k_other == k or n - k_other <= 0 or not mis:
        return False
    ratio = ((n - k) / (n - k_other)) ** 0.5
    return all(m["what"] == "se" and isinstance(m["value"], float)
               and abs(m["value"] - r["se"][m["term"]] * ratio) <= C.SE_TOL * abs(r["se"][m["term"]]) for m in mis)


def _duplicate_i(spec: dict) -> bool:
    factors = [t["factor"] for t in spec["terms"] if t["kind"] == "i" and not t.get("var")]
    return len(factors) > len(set(factors))


def _implied_k(r: dict, mis: list[dict]) -> int | None:
    """The K that makes the reference's standard errors fixest's ((N - K) scales every variance),
    when all differences imply the same whole number."""
    n, k = r.get("nobs"), r.get("df_k")
    implied = set()
    for m in mis:
        if m["what"] != "se" or not isinstance(m["value"], float) or m["value"] <= 0:
            return None
        value = n - (n - k) * (r["se"][m["term"]] / m["value"]) ** 2
        if abs(value - round(value)) > 1e-3:
            return None
        implied.add(round(value))
    return implied.pop() if len(implied) == 1 else None


def _is_floor_or_noise(value) -> bool:
    """fixest's standard error after mat_posdef_fix raised a negative variance to 1e-10, or zero up to rounding."""
    return isinstance(value, float) and (abs(value - 1e-5) <= 1e-12 or abs(value) < 1e-12)


def nesting_by_name_k(spec: dict, r: dict) -> int | None:
    """fixest 0.12's K when every cluster variable is itself one of the fixed effects: R/VCOV.R then
    finds nested fixed effects by name only (a fixed effect that is a cluster variable or a^b with
    one), skipping the check in the data, so `firm` nested in `region` still counts its levels
    with `| firm + region` clustered by region; its documented rule (ssc's fixef.K = "nested")
    leaves out every fixed effect nested in a cluster, which the reference follows."""
    if not isinstance(spec["vcov"], list) or not r.get("fe_levels"):
        return None
    clusters = spec["vcov"][1:]
    fe_names = [f if isinstance(f, str) else "^".join(f) for f in spec["fe"]]
    if not all(c in fe_names for c in clusters):
        return None
    by_name = [any(c in reference.fe_columns(f) for c in clusters) for f in spec["fe"]]
    counted = [lv for lv, flag in zip(r["fe_levels"], by_name) if not flag]
    if not counted:
        return len(r["names"]) + 1
    return len(r["names"]) + max(sum(counted) - (len(counted) - 1), 1)


def classify(spec: dict, f: dict, r: dict, mis: list[dict]) -> tuple[str, str]:
    """Names a disagreement between R fixest and the dense reference (fixest 0.13's documented rules)."""
    if "error" in r:
        if "single cluster" in r["error"]:
            return C.CONVENTION, "single-cluster (quipu and the reference refuse clustering with one cluster; fixest estimates)"
        if "no regressor" in r["error"]:
            return C.CONVENTION, "all-regressors-absorbed (the reference and fixest have no coefficient; fixest still fits)"
        return C.PEER_DEFECT, "fixest-estimates-where-reference-has-none"
    if "error" in f:
        if f.get("batch_failed"):
            return C.PEER_DEFECT, "fixest-batch-failed: " + f["error"][:80]
        if r.get("saturated"):
            return C.CONVENTION, "saturated-model (fixest stops where the reference reports undefined standard errors)"
        return C.PEER_DEFECT, "fixest-error: " + f["error"][:80]
    kinds = {m["what"] for m in mis}
    if r.get("condition", 0) > 1e10 and kinds & {"terms", "coef", "se"}:
        return C.CONVENTION, "numerically-undetermined (condition number of the scaled design above 1e10)"
    if "nobs" in kinds:
        return C.PEER_DEFECT, "fixest-sample"
    if "se-defined" in kinds or (r.get("saturated") and "se" in kinds):
        if all(_is_floor_or_noise(m["value"]) for m in mis if m["what"] in ("se", "se-defined")):
            return C.PEER_DEFECT, ("fixest-saturated-model-reports-se (N <= K: fixest's variance has a negative "
                                   "(N-1)/(N-K) factor, which mat_posdef_fix turns into SE 1e-5, or rounding noise)")
        return C.CONVENTION, ("saturated-model (K + fixed-effect levels reaches N by Quipu's count, one redundant level "
                              "per fixed effect after the second, so Quipu and the reference report NA; fixest leaves "
                              "the nested fixed effects out of K and reports a number)")
    if kinds == {"se"} and r.get("df_k_fixest_default", 0) >= r["nobs"] and all(
            _is_floor_or_noise(m["value"]) or m["value"] == "nan" for m in mis):
        return C.CONVENTION, ("exact-fixed-effect-redundancy (fixest's default count Σ levels − (#FE − 1) reaches N: "
                              "its SEs are NaN or mat_posdef_fix's 1e-5, where the exact count leaves residual degrees "
                              "of freedom)")
    if "terms" in kinds:
        m = next(x for x in mis if x["what"] == "terms")
        if set(m["extra"]) <= set(r.get("exact_dropped", [])) and not m["missing"]:
            return C.CONVENTION, ("exact-collinearity-in-badly-scaled-columns (quipu and the reference drop a column "
                                  "collinear to double precision that fixest's unscaled pivot rule keeps)")
        if r.get("pivot_margin_decades", 99) < 0.5:
            return C.CONVENTION, "collinearity-borderline (squared pivot within 3x of collin_tol)"
        if len(m["missing"]) == len(m["extra"]):
            return C.CONVENTION, "collinear-column-choice (fixest drops another of the collinear columns)"
        return C.PEER_DEFECT, "fixest-collinearity-decision"
    if kinds == {"se"} and _se_ratio_matches(r, mis, r.get("df_k_fixest_default")):
        return C.CONVENTION, ("exact-fixed-effect-redundancy (fixest's default counts sum(levels) - (#FE - 1) of the "
                              "fixed effects it counts, Quipu and the reference the exact redundancy: they differ on a "
                              "disconnected graph, or when one counted fixed effect is nested in another)")
    if kinds == {"se"} and _duplicate_i(spec) and _implied_k(r, mis) not in (None, r.get("df_k")):
        return C.PEER_DEFECT, ("fixest-duplicate-i-terms-parameter-count (i(f, ref = a) + i(f, ref = b): every standard "
                               "error implies one other whole-number K; fixest's coefficients equal the reference's)")
    if kinds == {"se"} and _se_ratio_matches(r, mis, nesting_by_name_k(spec, r)):
        return C.PEER_DEFECT, ("fixest-nesting-checked-by-name-only (a cluster variable that is also a fixed effect "
                               "stops fixest 0.12 from checking other fixed effects' nesting in the data: they "
                               "are counted in K, against ssc()'s documented fixef.K = \"nested\")")
    se_mis = [x for x in mis if x["what"] == "se"]
    if kinds == {"se"} and spec["vcov"] != "iid" and all(
            isinstance(x["reference"], float) and x["reference"] < 1e-11 * (abs(r["coef"][x["term"]]) + 1.0)
            for x in se_mis):
        return C.CONVENTION, "zero-robust-variance (scores cancel within clusters: both are rounding noise)"
    if kinds & {"coef", "se"}:
        rels = [m.get("rel") or 1.0 for m in mis if m["what"] in ("coef", "se")]
        if max(rels) < 1e-1 and r.get("min_pivot_rel", 1.0) < 1e-6:
            return C.PEER_DEFECT, "fixest-normal-equations-lose-precision (near-collinear)"
    return C.PEER_DEFECT, "fixest-other"


def judge(spec: dict, q: dict, f: dict, r: dict, record: dict) -> None:
    """Adds R fixest's verdict to `record` (C.judge's). When quipu disagrees with the reference but
    agrees with fixest, which disagrees with the reference too, the reference is suspect: the record
    becomes a `reference-defect` instead of a quipu-defect."""
    renamed = False
    if "error" not in r and "error" not in f:
        f, renamed = _reference_interaction_names(f, r)
    if "error" in r:
        agrees = "error" in f
        mis = []
    else:
        mismatches = [] if "error" in f else C.mismatches(f, r)
        agrees = "error" not in f and not mismatches
        mis = mismatches
    record["fixest_agrees"] = agrees
    if agrees and not renamed:
        record["fixest_class"] = "agree"
        return
    if agrees:
        cls, name = C.CONVENTION, ("interaction-name-order (fixest 0.12 names a:b as b:a when the formula also has "
                                   "an i() term; Quipu and the reference follow R's terms())")
    else:
        cls, name = classify(spec, f, r, mis)
    record["fixest_class"], record["fixest_name"] = cls, name
    record["fixest"] = C._brief(f)
    record["fixest_detail"] = mis or {"fixest": f.get("error"), "reference": r.get("error")}
    record.setdefault("quipu", C._brief(q))
    record.setdefault("reference", C._brief(r))
    # fixest's disagreement unexplained by a documented difference, and quipu's the same: suspect the reference
    if record.get("class") == C.QUIPU_DEFECT and cls == C.PEER_DEFECT and name == "fixest-other" \
            and "error" not in q and "error" not in f and not C.mismatches(q, f):
        record["class"], record["name"] = REFERENCE_DEFECT, "quipu-agrees-with-fixest: " + record["name"]


REFERENCE_DEFECT = "reference-defect"


def _canonical(name: str) -> str:
    return name if "::" in name else ":".join(sorted(name.split(":")))


def _reference_interaction_names(f: dict, r: dict) -> tuple[dict, bool]:
    """fixest's result with its interaction names put in the reference's order (x2:x1 -> x1:x2)
    where only the order differs, and whether any name changed."""
    by_canonical = {_canonical(n): n for n in r["names"]}
    mapping = {n: by_canonical.get(_canonical(n), n) for n in f["names"] if n not in r["coef"]}
    mapping = {a: b for a, b in mapping.items() if a != b}
    if not mapping:
        return f, False
    rename = lambda d: {mapping.get(k, k): v for k, v in d.items()}  # noqa: E731
    return dict(f, names=[mapping.get(n, n) for n in f["names"]], coef=rename(f["coef"]), se=rename(f["se"])), True
