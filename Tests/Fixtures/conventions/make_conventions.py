"""Reference values for Quipu's agreement with fixest's conventions on edge cases (issue 11).

Independent of Quipu: dense least squares in numpy and 50-digit mpmath, with fixest 0.13's rules
(small-sample factors, `mat_posdef_fix` repair of a two-way covariance with a negative variance,
`cpp_cholesky` collinearity rule), and pyfixest 0.60 where it agrees.

Data (written once by this script with fixed seeds, then kept):
- twoway_indefinite.csv: V_A + V_B - V_AB has a negative eigenvalue but no negative variance, so
  fixest reports it as it is;
- twoway_negative_variance.csv: a negative variance, so fixest repairs it (eigenvalues floored at 1e-10);
- near_collinear.csv: x2 = x1 + 3e-5 noise; kept by fixest's rule; hetero SEs in 50-digit arithmetic;
- tiny_scale.csv: a regressor of scale 1e-6 (squared pivot below 1e-9: fixest drops it).

Usage: python3 make_conventions.py  (numpy 2, pandas 2, mpmath 1.3; see requirements.txt)
"""
import json
import mpmath as mp
import numpy as np
import pandas as pd

mp.mp.dps = 50


def twoway(path):
    d = pd.read_csv(path)
    X = np.column_stack([np.ones(len(d)), d.x1.values, d.x2.values])
    y = d.y.values
    Q, R = np.linalg.qr(X)
    beta = np.linalg.solve(R, Q.T @ y)
    u = y - X @ beta
    B = np.linalg.inv(X.T @ X)
    n, k = X.shape

    def meat(codes):
        S = pd.DataFrame(X * u[:, None]).groupby(codes.values).sum().values
        return S.T @ S

    both = d.a.astype(str) + "_" + d.b.astype(str)
    M = meat(d.a) + meat(d.b) - meat(both)
    G = min(d.a.nunique(), d.b.nunique())
    V = B @ M @ B * G / (G - 1) * (n - 1) / (n - k)
    repaired = bool(np.any(np.diag(V) < 0))
    if repaired:  # fixest's mat_posdef_fix
        w, vec = np.linalg.eigh(V)
        V = vec @ np.diag(np.maximum(w, 1e-10)) @ vec.T
    return {"formula": "y ~ x1 + x2", "vcov": "cluster:a+b", "repaired": repaired,
            "smallest_eigenvalue_before": float(np.linalg.eigvalsh(B @ M @ B).min()),
            "terms": ["(Intercept)", "x1", "x2"], "estimate": beta.tolist(),
            "std_error": np.sqrt(np.diag(V)).tolist()}


def near_collinear(path):
    d = pd.read_csv(path)
    n = len(d)
    X = mp.matrix([[1, float(a), float(b)] for a, b in zip(d.x1, d.x2)])
    Y = mp.matrix([float(v) for v in d.y])
    B = (X.T * X) ** -1
    beta = B * (X.T * Y)
    u = Y - X * beta
    M = mp.matrix(3, 3)
    for i in range(n):
        for a in range(3):
            for b in range(3):
                M[a, b] += X[i, a] * X[i, b] * u[i] ** 2
    V = B * M * B * (mp.mpf(n) / (n - 3))
    return {"formula": "y ~ x1 + x2", "vcov": "hetero", "terms": ["(Intercept)", "x1", "x2"],
            "estimate": [float(beta[i]) for i in range(3)],
            "std_error": [float(mp.sqrt(V[i, i])) for i in range(3)]}


def tiny_scale(path):
    rng = np.random.default_rng(11)
    n = 60
    d = pd.DataFrame({"x1": rng.normal(size=n).round(8), "tiny": (1e-6 * rng.normal(size=n)).round(14)})
    d["y"] = (1 + d.x1 + rng.normal(size=n)).round(8)
    d.to_csv(path, index=False)
    X = np.column_stack([np.ones(n), d.x1.values, d.tiny.values])
    # fixest's rule on the unscaled cross-product: the squared pivot of `tiny` after the others.
    L = np.linalg.cholesky((X.T @ X)[:2, :2])
    c = np.linalg.solve(L, (X.T @ X)[:2, 2])
    pivot = float((X.T @ X)[2, 2] - c @ c)
    Xk = X[:, :2]
    beta = np.linalg.lstsq(Xk, d.y.values, rcond=None)[0]
    return {"formula": "y ~ x1 + tiny", "vcov": "iid", "squared_pivot": pivot, "dropped": ["tiny"],
            "terms": ["(Intercept)", "x1"], "estimate": beta.tolist()}


reference = {
    "generated_by": "make_conventions.py (numpy %s, pandas %s, mpmath %s)" % (np.__version__, pd.__version__, mp.__version__),
    "tolerance": {"estimate_relative": 1e-9, "std_error_relative": 1e-8},
    "twoway_indefinite": twoway("twoway_indefinite.csv"),
    "twoway_negative_variance": twoway("twoway_negative_variance.csv"),
    "near_collinear": near_collinear("near_collinear.csv"),
    "tiny_scale": tiny_scale("tiny_scale.csv"),
}
with open("reference.json", "w") as out:
    json.dump(reference, out, indent=1)
