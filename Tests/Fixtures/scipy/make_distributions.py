"""Reference values of the t, F and normal distributions from scipy, for Tests/InferenceTests.

Run: python3 Tests/Fixtures/scipy/make_distributions.py  (writes distributions.json beside it)
"""
import json, os, platform
import numpy, scipy
from scipy import stats

cases = {"t_two_sided": [], "t_quantile": [], "f_survival": [], "normal_quantile": []}
for df in [1, 2, 3, 5, 10, 53, 104, 1000, 123456, 9999990]:
    for t in [0.0, 0.1, 1.0, 1.6750, 1.96, 2.5, 4.0, 8.0, 25.0]:
        cases["t_two_sided"].append({"df": df, "t": t, "p": float(2 * stats.t.sf(abs(t), df))})
    for p in [0.5, 0.9, 0.95, 0.975, 0.995, 0.9995]:
        cases["t_quantile"].append({"df": df, "p": p, "q": float(stats.t.ppf(p, df))})
for d1, d2 in [(1, 10), (3, 53), (5, 1000), (12, 40), (2, 7)]:
    for f in [0.2, 1.0, 2.5, 7.0, 30.0]:
        cases["f_survival"].append({"df1": d1, "df2": d2, "f": f, "p": float(stats.f.sf(f, d1, d2))})
for p in [0.001, 0.025, 0.5, 0.8, 0.975, 0.999999]:
    cases["normal_quantile"].append({"p": p, "q": float(stats.norm.ppf(p))})
out = {"generator": "Tests/Fixtures/scipy/make_distributions.py",
       "versions": {"python": platform.python_version(), "scipy": scipy.__version__, "numpy": numpy.__version__},
       "tolerances": {"p_rel": 1e-10, "quantile_rel": 1e-10}, **cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributions.json"), "w") as fh:
    json.dump(out, fh, indent=1)
