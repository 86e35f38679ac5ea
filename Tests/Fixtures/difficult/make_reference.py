"""Tightly converged reference values for the 10^5-row 'difficult' panel of DifficultGraphTests.

The panel follows fixest's difficult benchmark design (issue 13): workers move only among 21
neighbouring firms, so the worker-firm graph is a long chain. It is drawn from SplitMix64 with the
exact recipe of Tests/EstimationTests/DifficultPanel.swift, so Swift regenerates the same data
instead of storing it. The reference is computed independently of Quipu's solver: each of y, x1,
x2 is regressed on the full sparse dummy matrix by scipy's LSQR at atol = btol = 1e-15, β follows
by least squares on the residuals, and the CRV1 standard errors (clustered by indiv) use fixest's
default small-sample correction (indiv nested in the clusters counts as one parameter).

Usage: python3 make_reference.py > reference.json
"""
import json, sys
import numpy as np, scipy, scipy.sparse as sp
from scipy.sparse.linalg import lsqr

GAMMA = np.uint64(0x9E3779B97F4A7C15)
M1, M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


class Stream:
    """SplitMix64 (Steele, Lea & Flood 2014); output k mixes seed + k·γ."""

    def __init__(self, seed):
        self.seed, self.drawn = np.uint64(seed), 0

    def raw(self, count):
        k = np.arange(self.drawn + 1, self.drawn + count + 1, dtype=np.uint64)
        self.drawn += count
        with np.errstate(over="ignore"):
            z = self.seed + k * GAMMA
            z = (z ^ (z >> np.uint64(30))) * M1
            z = (z ^ (z >> np.uint64(27))) * M2
        return z ^ (z >> np.uint64(31))

    def integers(self, count, below):
        return (self.raw(count) % np.uint64(below)).astype(np.int64)

    def normals(self, count):
        z = self.raw(2 * count).reshape(count, 2)
        u = ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
        return np.sqrt(-2 * np.log(u[:, 0])) * np.cos(2 * np.pi * u[:, 1])


def panel(n, seed):
    s = Stream(seed)
    nb_indiv, nb_firm, nb_year = n // 20, max(1, round(n / 160)), max(2, round(n / 1e5))
    indiv = 1 + s.integers(n, nb_indiv)
    firm = np.minimum(s.integers(n, 21) + np.maximum(1, indiv // 8 - 10), nb_firm)
    year = 1 + s.integers(n, nb_year)
    x1 = s.normals(n)
    x2 = s.normals(n) ** 2
    fe_i, fe_f, fe_y = s.normals(nb_indiv + 1), s.normals(nb_firm + 1), s.normals(nb_year + 1)
    y = x1 + 0.5 * x2 + fe_i[indiv] + fe_f[firm] + fe_y[year] + s.normals(n)
    return indiv, firm, year, x1, x2, y


def fit(columns, fes, cluster):
    n = len(cluster)
    blocks = []
    for f in fes:
        _, codes = np.unique(f, return_inverse=True)
        blocks.append(sp.csr_matrix((np.ones(n), (np.arange(n), codes))))
    D = sp.hstack(blocks).tocsc()
    resid, iterations = [], []
    for v in columns:
        out = lsqr(D, v, atol=1e-15, btol=1e-15, iter_lim=1_000_000)
        resid.append(v - D @ out[0])
        iterations.append(int(out[2]))
    yt, X = resid[0], np.column_stack(resid[1:])
    beta = np.linalg.lstsq(X, yt, rcond=None)[0]
    u = yt - X @ beta
    bread = np.linalg.inv(X.T @ X)
    _, g = np.unique(cluster, return_inverse=True)
    G = g.max() + 1
    scores = np.zeros((G, X.shape[1]))
    np.add.at(scores, g, X * u[:, None])
    # K: the slopes, plus the non-nested fixed effects' levels, one for the nested one, less the
    # redundant levels of a connected graph (#FE - 1).
    levels = [len(np.unique(f)) for f in fes]
    K = X.shape[1] + sum(levels[1:]) + 1 - (len(fes) - 1)
    V = bread @ (scores.T @ scores) @ bread * G / (G - 1) * (n - 1) / (n - K)
    return beta, np.sqrt(np.diag(V)), iterations, K


indiv, firm, year, x1, x2, y = panel(100_000, 20261130)
result = {"rows": 100_000, "seed": 20261130, "generator": "SplitMix64, see DifficultPanel.swift",
          "method": "scipy.sparse.linalg.lsqr on the full dummy matrix, atol=btol=1e-15; CRV1 by indiv",
          "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
          "checksums": {"y_sum": float(y.sum()), "x1_sum": float(x1.sum()), "firm_sum": int(firm.sum())},
          "models": {}}
for name, fes in {"indiv+firm": [indiv, firm], "indiv+firm+year": [indiv, firm, year]}.items():
    beta, se, iterations, K = fit([y, x1, x2], fes, indiv)
    result["models"][name] = {"coefficients": {"x1": beta[0], "x2": beta[1]}, "std_errors": {"x1": se[0], "x2": se[1]},
                              "lsqr_iterations": iterations, "K": K}
print(json.dumps(result, indent=2))
