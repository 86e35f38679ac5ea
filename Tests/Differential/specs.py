"""Seeded random feols specifications over the formula features `quipu feols` supports.

A specification is a plain dict (JSON-serialisable) holding the structure from which the formula
text, the quipu command line, the pyfixest call and the dense reference are all derived:

    {"id": "s1-0042", "data": "panel_1", "y": "y",
     "terms": [{"kind": "var", "name": "x1"}, {"kind": "log", "name": "x2"},
               {"kind": "inter", "a": "x1", "b": "x3"},
               {"kind": "i", "factor": "size", "ref": [1] | [], "var": None | "x1"}],
     "intercept": true, "fe": ["firm", ["region", "year"]],
     "vcov": "iid" | "hetero" | ["cluster", "firm"] | ["cluster", "firm", "year"],
     (on the panel, half the time a fixed-effect set of dgp.NESTED_FE, clustered)
     "weights": None | "w"}
"""
from __future__ import annotations

import numpy as np

from dgp import Schema


def term_text(term: dict) -> str:
    kind = term["kind"]
    if kind == "var":
        return term["name"]
    if kind == "log":
        return f"log({term['name']})"
    if kind == "inter":
        return f"{term['a']}:{term['b']}"
    if kind == "i":
        parts = [term["factor"]]
        if term.get("var"):
            parts.append(term["var"])
        ref = term.get("ref") or []
        if len(ref) == 1:
            parts.append(f"ref = {ref[0]}")
        return "i(" + ", ".join(parts) + ")"
    raise ValueError(kind)


def fe_text(fe) -> str:
    return fe if isinstance(fe, str) else "^".join(fe)


def formula(spec: dict) -> str:
    rhs = [term_text(t) for t in spec["terms"]]
    if not spec.get("intercept", True) and not spec["fe"]:
        rhs.append("0")
    text = f"{spec['y']} ~ " + " + ".join(rhs)
    if spec["fe"]:
        text += " | " + " + ".join(fe_text(f) for f in spec["fe"])
    return text


def vcov_text(spec: dict) -> str:
    v = spec["vcov"]
    return v if isinstance(v, str) else "cluster:" + "+".join(v[1:])


def pyfixest_vcov(spec: dict):
    v = spec["vcov"]
    return v if isinstance(v, str) else {"CRV1": "+".join(v[1:])}


def _levels(df, column) -> list:
    values = df[column].dropna().unique()
    return sorted(int(v) for v in values)


def random_spec(rng: np.random.Generator, schema: Schema, df, ident: str) -> dict:
    """One random specification on `schema` (df: the data, to pick existing reference levels)."""
    spec: dict = {"id": ident, "data": schema.name, "y": str(rng.choice(schema.outcomes))}
    # fixed effects: 0-3, sometimes one combined a^b
    n_fe = int(rng.choice([0, 1, 2, 3], p=[0.25, 0.3, 0.3, 0.15]))
    n_fe = min(n_fe, len(schema.fixed_effects))
    fes: list = [str(x) for x in rng.choice(schema.fixed_effects, n_fe, replace=False)]
    if schema.combos and rng.random() < 0.25:
        a, b = schema.combos[int(rng.integers(len(schema.combos)))]
        if n_fe == 0 or rng.random() < 0.5:
            fes.append([a, b])
        else:
            fes[-1] = [a, b]
    spec["fe"] = fes
    # regressors
    terms: list[dict] = []
    used: set = set()
    for name in rng.choice(schema.numeric, int(rng.integers(1, min(3, len(schema.numeric)) + 1)), replace=False):
        name = str(name)
        if name in schema.positive and rng.random() < 0.5:
            terms.append({"kind": "log", "name": name})
        else:
            terms.append({"kind": "var", "name": name})
        used.add(name)
    if len(schema.numeric) >= 2 and rng.random() < 0.15:
        a, b = (str(x) for x in rng.choice(schema.numeric, 2, replace=False))
        terms.append({"kind": "inter", "a": a, "b": b})
    if schema.factors and rng.random() < 0.45:
        factor = str(rng.choice(schema.factors))
        levels = _levels(df, factor)
        var = None
        if rng.random() < 0.3:
            var = str(rng.choice(schema.numeric))
        ref = [] if rng.random() < 0.3 else [int(rng.choice(levels))]
        terms.append({"kind": "i", "factor": factor, "ref": ref, "var": var})
        if var is None and ref and rng.random() < 0.08 and len(levels) > 2:
            # the duplicate-column case: i(f, ref = a) + i(f, ref = b)
            other = int(rng.choice([lv for lv in levels if lv != ref[0]]))
            terms.append({"kind": "i", "factor": factor, "ref": [other], "var": None})
    rng.shuffle(terms)
    spec["terms"] = terms
    spec["intercept"] = not (not fes and rng.random() < 0.08)
    # covariance
    r = rng.random()
    if r < 0.3:
        spec["vcov"] = "iid"
    elif r < 0.55:
        spec["vcov"] = "hetero"
    elif r < 0.85 or len(schema.clusters) < 2:
        spec["vcov"] = ["cluster", str(rng.choice(schema.clusters))]
    else:
        a, b = (str(x) for x in rng.choice(schema.clusters, 2, replace=False))
        spec["vcov"] = ["cluster", a, b]
    spec["weights"] = str(rng.choice(schema.weights)) if schema.weights and rng.random() < 0.3 else None
    nested = schema.extra.get("nested_fe")
    if nested and rng.random() < 0.5:
        # fixed effects nested in the cluster variable and redundant with each other: the small-sample
        # count must leave the nested ones out once, not their redundant levels twice
        spec["fe"] = nested[int(rng.integers(len(nested)))]
        clusters = schema.extra["nested_clusters"]
        spec["vcov"] = ["cluster"] + clusters[int(rng.integers(len(clusters)))]
    spec["formula"] = formula(spec)
    return spec


def fixed_edge_specs(schemas: dict) -> list[dict]:
    """A few deterministic specifications that exercise the documented edge cases every run."""
    out = []

    def add(ident, data, y, terms, fe, vcov, weights=None, intercept=True):
        spec = {"id": ident, "data": data, "y": y, "terms": terms, "fe": fe, "vcov": vcov,
                "weights": weights, "intercept": intercept}
        spec["formula"] = formula(spec)
        out.append(spec)

    panel = next(n for n in schemas if n.startswith("panel_"))
    coll = next(n for n in schemas if n.startswith("collinear_"))
    tiny = next(n for n in schemas if n.startswith("tiny_"))
    v = lambda n: {"kind": "var", "name": n}  # noqa: E731
    add("edge-cluster-na", panel, "y", [v("x1"), v("x3")], ["firm", "year"], ["cluster", "state_na"])
    add("edge-twoway", panel, "y", [v("x1"), {"kind": "log", "name": "x2"}], ["firm"], ["cluster", "year", "region"])
    add("edge-i-noref-fe", panel, "y", [v("x1"), {"kind": "i", "factor": "size", "ref": [], "var": None}], ["firm"], "iid")
    add("edge-i-noref-int", coll, "y", [v("x1"), {"kind": "i", "factor": "f", "ref": [], "var": None}], [], "hetero")
    add("edge-i-dup", coll, "y", [v("x1"), {"kind": "i", "factor": "f", "ref": [2], "var": None},
                                  {"kind": "i", "factor": "f", "ref": [1], "var": None}], [], "iid")
    add("edge-near-collinear", coll, "y", [v("x1"), v("x2"), v("x3")], [], "iid")
    add("edge-near-collinear-fe", coll, "y", [v("x1"), v("x2"), v("x3")], ["g"], "hetero", weights="w")
    add("edge-nearer-collinear", coll, "y", [v("x1"), v("x2d"), v("x3")], [], "iid")
    add("edge-exact-collinear", coll, "y", [v("x3"), v("x4"), v("x1")], [], "hetero")
    add("edge-absorbed", coll, "y", [v("x1"), v("fx")], ["f"], ["cluster", "cl"])
    add("edge-badly-scaled", coll, "y", [v("big"), v("x1")], ["g"], "iid", weights="w")
    add("edge-saturated", tiny, "y", [v("x1"), v("x2"), v("xp"), {"kind": "i", "factor": "f", "ref": [], "var": None},
                                      {"kind": "i", "factor": "g", "ref": [1], "var": None}], ["cl"], "iid")
    add("edge-saturated-fe", tiny, "y", [v("x1"), v("x2")], ["f", "g"], "hetero")
    # the issue-19 defect: a fixed effect repeated by a combined one, both nested in the cluster
    add("edge-nested-redundant", panel, "y", [v("x2")], ["firm", ["country", "firm"]], ["cluster", "country"])
    add("edge-nested-redundant-3fe", panel, "y", [v("x1"), v("x3")], ["firm", "region", "year"], ["cluster", "state"])
    add("edge-all-singletons", "singletons", "y", [v("x1")], ["firm", "year"], "iid")
    return out
