#!/usr/bin/env python3
"""One pyfixest `fepois` run from a CSV; prints one JSON line.

pandas reads the CSV with its defaults; pyfixest fits `y ~ x1 + x2 | firm + year` with CRV1
standard errors by firm and its other defaults (iwls_tol 1e-8, separation_check ["fe"], the
default demeaner). The IRLS iterations are counted by wrapping `Fepois._compute_deviance`, which
pyfixest calls once before the loop, once per iteration and once after it.
"""
from __future__ import annotations

import json
import sys
import time
import warnings

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
import pyfixest as pf  # noqa: E402
from pyfixest.estimation.models.fepois_ import Fepois  # noqa: E402

import_seconds = time.perf_counter() - t0
calls = {"n": 0}
_original = Fepois._compute_deviance


def _counted(self, *args, **kwargs):
    calls["n"] += 1
    return _original(self, *args, **kwargs)


Fepois._compute_deviance = _counted

path = sys.argv[1]
t1 = time.perf_counter()
df = pd.read_csv(path)
read_seconds = time.perf_counter() - t1
t2 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    fit = pf.fepois("y ~ x1 + x2 | firm + year", data=df, vcov={"CRV1": "firm"})
    tidy = fit.tidy()
fit_seconds = time.perf_counter() - t2
print(json.dumps({
    "nobs": int(fit._N), "iterations": calls["n"] - 2,
    "coefficients": {t: {"estimate": float(r["Estimate"]), "std_error": float(r["Std. Error"])} for t, r in tidy.iterrows()},
    "import_seconds": import_seconds, "read_seconds": read_seconds, "fit_seconds": fit_seconds,
}))
