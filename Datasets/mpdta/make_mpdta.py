#!/usr/bin/env python3
"""Write Datasets/mpdta/mpdta.csv from the PyPI package `moderndid` (0.4.1).

    pip install moderndid==0.4.1 pandas==3.1.1      # moderndid 0.4.1 needs Python >= 3.12
    python3 Datasets/mpdta/make_mpdta.py

County teen-employment panel of Callaway & Sant'Anna (2021), as shipped with the R package
`did` (data set `mpdta`): 500 counties x 2003-2007, staggered minimum-wage increases.

The script reads the package's data file `moderndid/core/datasets/mpdta_long.pkl.gz` (a
pickled pandas DataFrame) directly, checks it against the package's own loader
`moderndid.load_mpdta()`, and writes every column in the order and row order shipped.

Conventions (same as Datasets/jtrain/make_jtrain.py): header row, comma-separated, `\\n`
line ends, missing values as empty fields (there are none here), floats in Python's shortest
round-trip repr (pandas default), integer columns as integers. The column name `first.treat`
is kept as is. The written file is read back and compared bit for bit.
"""
from __future__ import annotations

import gzip
import importlib.resources
import os
import pickle
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "mpdta.csv")
COLUMNS = ["year", "countyreal", "lpop", "lemp", "first.treat", "treat"]


def load_raw() -> pd.DataFrame:
    path = importlib.resources.files("moderndid.core.datasets") / "mpdta_long.pkl.gz"
    with gzip.open(path, "rb") as f:
        df = pickle.load(f)
    if not isinstance(df, pd.DataFrame):
        raise SystemExit(f"unexpected object in {path}: {type(df).__name__}")
    return df.reset_index(drop=True)


def check_against_loader(df: pd.DataFrame) -> None:
    """moderndid.load_mpdta() (a polars DataFrame) must hold the same values."""
    import moderndid

    pl_df = moderndid.load_mpdta()
    if list(pl_df.columns) != list(df.columns):
        raise SystemExit(f"loader columns differ: {pl_df.columns} vs {list(df.columns)}")
    for col in df.columns:
        a = df[col].to_numpy()
        b = pl_df[col].to_numpy()
        if not np.array_equal(a, b):
            raise SystemExit(f"loader and data file differ in column {col}")


def check_shape(df: pd.DataFrame) -> None:
    if list(df.columns) != COLUMNS:
        raise SystemExit(f"unexpected columns: {list(df.columns)}")
    if df.shape != (2500, 6) or df.isna().any().any():
        raise SystemExit(f"unexpected shape or missing values: {df.shape}")
    if df["countyreal"].nunique() != 500 or sorted(df["year"].unique()) != list(range(2003, 2008)):
        raise SystemExit("expected 500 counties x 2003-2007")
    if df.duplicated(["countyreal", "year"]).any():
        raise SystemExit("duplicate county-year")
    if (df.groupby("countyreal")["first.treat"].nunique() != 1).any():
        raise SystemExit("first.treat not constant within county")
    if not (df["treat"] == (df["first.treat"] > 0).astype(df["treat"].dtype)).all():
        raise SystemExit("treat != 1[first.treat > 0]")


def main() -> int:
    df = load_raw()
    check_shape(df)
    check_against_loader(df)
    for col in df.columns:
        if not (pd.api.types.is_integer_dtype(df[col]) or pd.api.types.is_float_dtype(df[col])):
            raise SystemExit(f"unexpected dtype for {col}: {df[col].dtype}")
    df.to_csv(OUT, index=False, na_rep="", lineterminator="\n")

    back = pd.read_csv(OUT)
    for col in df.columns:
        a, b = df[col].to_numpy(), back[col].to_numpy()
        if a.dtype != b.dtype or not np.array_equal(a, b):
            raise SystemExit(f"{col}: CSV does not read back bit for bit")

    units = df.groupby("countyreal")["first.treat"].first().value_counts().sort_index()
    print(f"wrote {OUT}: {df.shape[0]} rows, {df.shape[1]} columns")
    print("counties by first.treat:", {int(k): int(v) for k, v in units.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
