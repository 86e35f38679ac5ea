"""Running the three computations on one specification, comparing them, classifying disagreements."""
from __future__ import annotations

import json
import math
import re
import subprocess
import warnings

import numpy as np

import reference
import specs as S

COEF_TOL = 1e-6   # |a - r| <= COEF_TOL * (|r| + se_r)
SE_TOL = 1e-5     # |a - r| <= SE_TOL * |r|
QUIPU_FIXEF_TOL = "1e-13"
PYFIXEST_FIXEF_TOL = 1e-13

# Documented places where the peers part (the three classes of the report).
QUIPU_DEFECT, CONVENTION, PEER_DEFECT = "quipu-defect", "convention", "peer-defect"


def normalize(name: str) -> str:
    name = str(name)
    if name in ("Intercept", "(Intercept)"):
        return "(Intercept)"
    # pyfixest prints levels of a float column as 2.0, quipu and fixest as 2
    return re.sub(r"::(-?\d+)\.0(?=$|:)", r"::\1", name)


# ---------------------------------------------------------------------------------------------
# quipu
# ---------------------------------------------------------------------------------------------
def quipu_feols_args(spec: dict, data_path: str) -> list[str]:
    args = ["feols", "--data", data_path, "--formula", spec["formula"], "--vcov", S.vcov_text(spec),
            "--format", "json", "--fixef-tol", QUIPU_FIXEF_TOL, "--threads", "1"]
    if spec.get("weights"):
        args += ["--weights", spec["weights"]]
    return args


def run_quipu(binary: str, args: list[str], timeout: float = 120) -> dict:
    try:
        proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout}s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1][:300],
                "exit": proc.returncode}
    try:
        return {"json": json.loads(proc.stdout)}
    except json.JSONDecodeError as exc:
        return {"error": f"unreadable JSON: {exc}"}


def quipu_feols_result(raw: dict) -> dict:
    if "error" in raw:
        return {"error": raw["error"]}
    j = raw["json"]
    coef, se = {}, {}
    for row in j["coefficients"]:
        n = normalize(row["term"])
        coef[n] = row["estimate"]
        se[n] = row["std_error"]
    return {"nobs": j["nobs"], "coef": coef, "se": se, "names": list(coef),
            "collinear": [normalize(c) for c in j["dropped"]["collinear"]], "notes": j.get("notes", []),
            "n_clusters": j.get("n_clusters")}


# ---------------------------------------------------------------------------------------------
# pyfixest
# ---------------------------------------------------------------------------------------------
_DEMEANER = None


def run_pyfixest(spec: dict, df, fml: str | None = None) -> dict:
    global _DEMEANER
    import pyfixest as pf
    from pyfixest.demeaners import MapDemeaner
    if _DEMEANER is None:
        _DEMEANER = MapDemeaner(fixef_tol=PYFIXEST_FIXEF_TOL, fixef_maxiter=200_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = pf.feols(fml or spec["formula"], data=df, vcov=S.pyfixest_vcov(spec),
                               weights=spec.get("weights"), demeaner=_DEMEANER)
            except ValueError as exc:
                # pyfixest's demeaning tolerance is absolute: with values near 1e6, 1e-13 is out of
                # reach of double precision. Retry with its default tolerance (1e-6) rather than
                # blame pyfixest for the harness's setting.
                if "Demeaning failed" not in str(exc):
                    raise
                fit = pf.feols(fml or spec["formula"], data=df, vcov=S.pyfixest_vcov(spec),
                               weights=spec.get("weights"))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - any refusal (even a Rust panic) is a result to classify
        return {"error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ''}"}
    names = [normalize(n) for n in fit._coefnames]
    coef = dict(zip(names, [float(b) for b in fit._beta_hat]))
    se = dict(zip(names, [float(s) for s in fit._se]))
    return {"nobs": int(fit._N), "coef": coef, "se": se, "names": names, "collinear": []}


def run_pyfixest_isolated(spec: dict, df, fml: str | None = None) -> dict:
    """run_pyfixest in a forked child: pyfixest's Rust demeaner aborts the whole process on an
    empty sample (a panic that does not unwind), which must not end the harness."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def work():
        import os
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # the panic's message and backtrace: the abort itself is the finding
        child.send(run_pyfixest(spec, df, fml))

    proc = ctx.Process(target=work)
    proc.start()
    child.close()
    try:
        result = parent.recv() if parent.poll(600) else None
    except EOFError:
        result = None
    proc.join()
    if result is None or proc.exitcode != 0:
        return {"error": f"pyfixest aborted the process (exit code {proc.exitcode})"}
    return result


# ---------------------------------------------------------------------------------------------
# comparison
# ---------------------------------------------------------------------------------------------
def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def mismatches(a: dict, r: dict) -> list[dict]:
    """What in result `a` disagrees with the reference `r` (both without "error")."""
    out = []
    if a["nobs"] != r["nobs"]:
        out.append({"what": "nobs", "value": a["nobs"], "reference": r["nobs"]})
    missing = [n for n in r["names"] if n not in a["coef"]]
    extra = [n for n in a["coef"] if n not in r["coef"]]
    if missing or extra:
        out.append({"what": "terms", "missing": missing, "extra": extra})
    for n in r["names"]:
        if n not in a["coef"]:
            continue
        va, vr = a["coef"][n], r["coef"][n]
        ser = r["se"].get(n)
        scale = abs(vr) + (ser if _finite(ser) else 0.0) + 1e-12
        if not _finite(va) or abs(va - vr) > COEF_TOL * scale:
            out.append({"what": "coef", "term": n, "value": va, "reference": vr,
                        "rel": (abs(va - vr) / scale) if _finite(va) else None})
        sa = a["se"].get(n)
        if ser is None:
            if _finite(sa):
                out.append({"what": "se-defined", "term": n, "value": sa, "reference": None})
        elif not _finite(sa) or abs(sa - ser) > SE_TOL * abs(ser) + 1e-15:
            out.append({"what": "se", "term": n, "value": sa if _finite(sa) else str(sa), "reference": ser,
                        "rel": (abs(sa - ser) / max(abs(ser), 1e-300)) if _finite(sa) else None})
    return out


def _has_term(spec: dict, predicate) -> bool:
    return any(predicate(t) for t in spec["terms"])


def _i_noref(spec):
    return _has_term(spec, lambda t: t["kind"] == "i" and not t.get("ref") and not t.get("var"))


def _i_duplicate(spec):
    factors = [t["factor"] for t in spec["terms"] if t["kind"] == "i" and not t.get("var")]
    return len(factors) != len(set(factors))


def classify_quipu(spec: dict, q: dict, r: dict, mis: list[dict]) -> tuple[str, str]:
    """Names a disagreement between quipu and the reference (one of the three classes)."""
    kinds = {m["what"] for m in mis}
    if "error" in r:
        if "no regressor" in r["error"] and "error" not in q and not q["coef"] and q.get("collinear"):
            return CONVENTION, ("all-regressors-absorbed-empty-fit (quipu reports a fit without coefficients "
                                "and a note; fixest and pyfixest stop with an error)")
        return QUIPU_DEFECT, "estimates-where-reference-has-none"
    if r.get("condition", 0) > 1e10 and kinds & {"terms", "coef", "se"}:
        return CONVENTION, ("numerically-undetermined (condition number of the scaled design above 1e10: "
                            "no 1e-6 digits to compare, and exact collinearity may hide in rounding)")
    if "error" in q:
        if r.get("collinear") and any("absorbed" in q["error"] or "collinear" in q["error"] for _ in [0]):
            return QUIPU_DEFECT, "absorbed-regressor-refused (listed item 5)"
        return QUIPU_DEFECT, "error-where-reference-estimates"
    if "terms" in kinds:
        m = next(x for x in mis if x["what"] == "terms")
        absorbed_note = " ".join(n for n in q.get("notes", []) if "absorbed by the fixed effects" in n)
        if m["missing"] and not m["extra"] and all(n in absorbed_note for n in m["missing"]):
            return QUIPU_DEFECT, ("regressor-with-within-variation-dropped-as-absorbed (relative threshold 1e-10 "
                                  "on the uncentred sum of squares with 2+ fixed effects)")
        if _i_duplicate(spec):
            return QUIPU_DEFECT, "duplicate-i-columns (listed item 6)"
        if _i_noref(spec) and any("::" in n for n in m["missing"] + m["extra"]):
            return QUIPU_DEFECT, "i-without-ref-leaves-out-last-level (listed item 1)"
        if r.get("pivot_margin_decades", 99) < 0.5:
            return CONVENTION, "collinearity-borderline (squared pivot within 3x of collin_tol)"
        return QUIPU_DEFECT, "collinearity-decision (listed item 3)"
    se_mis = [x for x in mis if x["what"] == "se"]
    if kinds == {"se"} and spec["vcov"] != "iid" and all(
            x["value"] == "None" and x["reference"] < 1e-11 * (abs(r["coef"][x["term"]]) + 1.0) for x in se_mis):
        return CONVENTION, ("zero-robust-variance-undefined (scores cancel within clusters: quipu reports NA "
                            "with a note, fixest the rounding noise ~1e-15)")
    if "se-defined" in kinds or (r.get("saturated") and kinds & {"se"}):
        return QUIPU_DEFECT, "saturated-model-reports-se (listed item 4)"
    if "nobs" in kinds:
        return QUIPU_DEFECT, "sample"
    if kinds <= {"se"} and _nested_redundancy_counted_twice(r, se_mis):
        if r["df_k_double_subtracted"] < r["df_k"]:
            return QUIPU_DEFECT, ("nested-redundant-fixed-effects-df (clustered SEs too small: the redundant levels "
                                  "of fixed effects nested in the cluster are subtracted twice)")
        return QUIPU_DEFECT, ("nested-fixed-effects-df-redundancy-of-all (clustered SEs too large: with nested "
                              "fixed effects, the redundancy is counted among all fixed effects, not the others)")
    if kinds <= {"se"} and isinstance(spec["vcov"], list) and len(spec["vcov"]) == 3:
        return QUIPU_DEFECT, "two-way-vcov-repair (listed item 2)" if r.get("posdef_fixed") or _quipu_repaired(q) \
            else "two-way-vcov"
    if "coef" in kinds:
        return QUIPU_DEFECT, "coefficients"
    return QUIPU_DEFECT, "standard-errors"


def _nested_redundancy_counted_twice(r: dict, se_mis: list[dict]) -> bool:
    """Whether every standard error differs from the reference's by sqrt((N - K) / (N - K')), K'
    the parameter count that subtracts nested fixed effects' levels from a count already net of
    their exact redundancy (the defect of issue 19 this harness was extended to catch)."""
    n, k, k_twice = r.get("nobs"), r.get("df_k"), r.get("df_k_double_subtracted")
    if not se_mis or not r.get("nested_fe") or k_twice is None or k_twice == k or n - k_twice <= 0:
        return False
    ratio = ((n - k) / (n - k_twice)) ** 0.5
    return all(isinstance(m["value"], float) and abs(m["value"] - m["reference"] * ratio) <= SE_TOL * m["reference"]
               for m in se_mis)


def _quipu_repaired(q: dict) -> bool:
    return any("positive semi-definite" in n or "eigenvalue" in n for n in q.get("notes", []))


def classify_peer(spec: dict, p: dict, r: dict, mis: list[dict]) -> tuple[str, str]:
    """Names a disagreement between pyfixest and the reference when quipu agrees with the reference."""
    if "error" in r and "single cluster" in r["error"]:
        return CONVENTION, "single-cluster (quipu and the reference refuse clustering with one cluster; pyfixest estimates)"
    if "error" in r:
        return PEER_DEFECT, "pyfixest-estimates-where-reference-has-none"
    if "error" in p:
        msg = p["error"].lower()
        if isinstance(spec["vcov"], list) and ("nanincluster" in msg or "missing values in the cluster" in msg):
            return PEER_DEFECT, "pyfixest-refuses-missing-cluster-values"
        if "singleton" in msg or "aborted" in msg:
            return PEER_DEFECT, "pyfixest-aborts-all-singletons"
        if r.get("saturated"):
            return PEER_DEFECT, "pyfixest-fails-on-saturated-model"
        return PEER_DEFECT, "pyfixest-error: " + p["error"][:80]
    kinds = {m["what"] for m in mis}
    if "nobs" in kinds:
        return PEER_DEFECT, "pyfixest-sample"
    if "se-defined" in kinds:
        return PEER_DEFECT, "pyfixest-saturated-model-reports-se"
    if "terms" in kinds:
        m = next(x for x in mis if x["what"] == "terms")
        canon = lambda names: sorted(":".join(sorted(n.split(":"))) if "::" not in n else n for n in names)  # noqa: E731
        if canon(m["missing"]) == canon(m["extra"]):
            return CONVENTION, "interaction-name-order (pyfixest keeps the written order, R/fixest the order of first appearance)"
        if set(m["extra"]) <= set(r.get("exact_dropped", [])) and not m["missing"]:
            return CONVENTION, ("exact-collinearity-in-badly-scaled-columns (quipu and the reference drop a column "
                                "collinear to double precision that the unscaled pivot rule keeps)")
        if len(m["missing"]) == len(m["extra"]):
            return CONVENTION, "collinear-column-choice (pyfixest drops another of the collinear columns)"
        return PEER_DEFECT, "pyfixest-collinearity-decision"
    if "se-defined" in kinds:
        return PEER_DEFECT, "pyfixest-saturated-model-reports-se"
    se_nan = any(m["what"] == "se" and not _finite(m["value"]) if not isinstance(m["value"], str) else True
                 for m in mis if m["what"] == "se")
    if se_nan and r.get("posdef_fixed"):
        return PEER_DEFECT, "pyfixest-two-way-vcov-negative-diagonal-gives-nan"
    if kinds & {"coef", "se"}:
        rels = [m.get("rel") or 1.0 for m in mis if m["what"] in ("coef", "se")]
        if max(rels) < 1e-1 and r.get("min_pivot_rel", 1.0) < 1e-6:
            return PEER_DEFECT, "pyfixest-normal-equations-lose-precision (near-collinear)"
        if r.get("posdef_fixed"):
            return PEER_DEFECT, "pyfixest-two-way-vcov-repair"
        if kinds == {"se"} and r.get("fe_extra_redundant", 0) > 0:
            # The fixed-effect graph is disconnected: pyfixest counts Σ levels − (#FE − 1), the
            # reference and Quipu the exact redundancy (connected components).
            return CONVENTION, "exact-fixed-effect-redundancy (disconnected graph; pyfixest and fixest's default count Σ levels − (#FE − 1))"
    return PEER_DEFECT, "pyfixest-other"


def judge(spec: dict, q: dict, p: dict, r: dict) -> dict:
    """The verdict on one specification: agreement, or the class and name of the disagreement."""
    record = {"id": spec["id"], "data": spec["data"], "formula": spec["formula"], "vcov": S.vcov_text(spec),
              "weights": spec.get("weights")}
    q_mis = p_mis = None
    if "error" in r:
        q_agree = "error" in q
        p_agree = "error" in p
    else:
        q_agree = "error" not in q and not (q_mis := mismatches(q, r))
        p_agree = "error" not in p and not (p_mis := mismatches(p, r))
    record["quipu_agrees"] = q_agree
    record["pyfixest_agrees"] = p_agree
    if q_agree and p_agree:
        record["class"] = "agree"
        return record
    if not q_agree:
        cls, name = classify_quipu(spec, q, r, q_mis or [])
        record["detail"] = q_mis or {"quipu": q.get("error"), "reference": r.get("error")}
    else:
        cls, name = classify_peer(spec, p, r, p_mis or [])
        record["detail"] = p_mis or {"pyfixest": p.get("error"), "reference": r.get("error")}
    record["class"], record["name"] = cls, name
    record["quipu"] = _brief(q)
    record["pyfixest"] = _brief(p)
    record["reference"] = _brief(r)
    return record


def _brief(res: dict) -> dict:
    if "error" in res:
        return {"error": res["error"]}
    out = {"nobs": res["nobs"], "coef": res["coef"], "se": res["se"]}
    if res.get("collinear"):
        out["collinear"] = res["collinear"]
    return out


def reference_result(spec: dict, df) -> dict:
    try:
        r = reference.compute(spec, df)
    except reference.ReferenceError_ as exc:
        return {"error": str(exc)}
    r["names"] = [normalize(n) for n in r["names"]]
    r["coef"] = {normalize(k): v for k, v in r["coef"].items()}
    r["se"] = {normalize(k): v for k, v in r["se"].items()}
    return r


def jsonable(x):
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (np.floating, float)):
        return float(x) if math.isfinite(x) else str(float(x))
    if isinstance(x, np.integer):
        return int(x)
    return x
