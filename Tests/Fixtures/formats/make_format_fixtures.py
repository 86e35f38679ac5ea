"""Writes the data-format fixtures for Quipu's readers (Tests/Fixtures/formats).

One small panel, written as CSV (the reference) and as every format Quipu reads, each by the
library evaluators use to write it, so the Swift tests can check that `feols` gives the same
result whatever the format:

  panel.csv            the reference; missing values are empty fields
  panel.csv.gz         the same bytes, gzip-compressed (Python's gzip module)
  panel.dta            pyreadstat.write_dta: region and sector as value-labelled numbers,
                       x missing as Stata's extended code .a, y missing as .
  panel.sav            pyreadstat.write_sav: the same labels, x missing as the user-missing value -99
  panel.arrow          pyarrow.feather.write_feather, uncompressed (region a pandas categorical)
  panel_lz4.arrow      the same, LZ4-frame buffers (pandas' to_feather default)
  panel_zstd.arrow     the same, ZSTD buffers
  panel_polars.arrow   polars' write_ipc (string views, its categorical)
  bad/truncated.dta    the first 60% of panel.dta
  bad/list_column.arrow  a column of lists (an unsupported type)
  bad/not_gzip.csv.gz  plain CSV under a .gz name

Run:  python3 Tests/Fixtures/formats/make_format_fixtures.py   (versions in requirements.txt)
"""
import gzip
import os
import sys

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.feather as feather
import pyreadstat

HERE = os.path.dirname(os.path.abspath(__file__))
REGIONS = ["north", "south", "east", "west"]
SECTORS = {1: "herbs", 2: "oils", 3: "fruit"}


def panel() -> pd.DataFrame:
    rng = np.random.default_rng(20261130)
    rows = []
    for firm in range(1, 41):
        region = REGIONS[firm % 4]
        sector = 1 + firm % 3
        firm_effect = rng.normal()
        cohort = 2014 + firm % 4 if firm % 5 else 0
        for year in range(2010, 2020):
            treat = int(cohort > 0 and year >= cohort)
            x = rng.normal()
            y = 1.0 + 0.5 * x + 0.3 * treat + firm_effect + 0.1 * (year - 2010) + rng.normal(scale=0.5)
            rows.append(dict(firm=firm, year=year, region=region, sector=sector, treat=treat,
                             x=round(x, 6), y=round(y, 6)))
    df = pd.DataFrame(rows)
    # Missing values: x on every 17th row (Stata .a, SPSS user-missing -99), y on every 23rd.
    df.loc[df.index % 17 == 5, "x"] = np.nan
    df.loc[df.index % 23 == 7, "y"] = np.nan
    return df


def main() -> None:
    df = panel()
    csv = df.copy()
    csv["sector"] = csv["sector"].map(SECTORS)
    csv.to_csv(os.path.join(HERE, "panel.csv"), index=False, na_rep="")
    with open(os.path.join(HERE, "panel.csv"), "rb") as source:
        data = source.read()
    with gzip.GzipFile(os.path.join(HERE, "panel.csv.gz"), "wb", mtime=0) as target:
        target.write(data)

    # Stata and SPSS: region and sector stored as labelled numbers.
    coded = df.copy()
    coded["region"] = coded["region"].map({name: i + 1 for i, name in enumerate(REGIONS)})
    labels = {"region": {i + 1: name for i, name in enumerate(REGIONS)}, "sector": SECTORS}
    stata = coded.copy()
    stata["x"] = stata["x"].astype(object)
    stata.loc[stata["x"].isna(), "x"] = "a"  # pyreadstat writes the letter as Stata's .a
    pyreadstat.write_dta(stata, os.path.join(HERE, "panel.dta"), variable_value_labels=labels,
                         missing_user_values={"x": ["a"]}, version=15)
    spss = coded.copy()
    spss["x"] = spss["x"].fillna(-99.0)
    pyreadstat.write_sav(spss, os.path.join(HERE, "panel.sav"), variable_value_labels=labels,
                         missing_ranges={"x": [-99.0]})

    # Arrow: pandas' types (int64, float64 with NaN, a categorical, strings), plus a few more.
    arrow = df.copy()
    arrow["region"] = pd.Categorical(arrow["region"], categories=["west", "east", "south", "north", "unused"])
    arrow["sector"] = arrow["sector"].map(SECTORS)
    arrow["visited"] = pd.array([None if i % 11 == 3 else i % 2 == 0 for i in range(len(arrow))], dtype="boolean")
    arrow["count"] = pd.array([None if i % 13 == 4 else i % 7 for i in range(len(arrow))], dtype="Int64")
    arrow["day"] = pd.to_datetime(arrow["year"].astype(str) + "-03-01").dt.date
    table = pa.Table.from_pandas(arrow, preserve_index=False)
    feather.write_feather(table, os.path.join(HERE, "panel.arrow"), compression="uncompressed")
    feather.write_feather(table, os.path.join(HERE, "panel_lz4.arrow"), compression="lz4")
    feather.write_feather(table, os.path.join(HERE, "panel_zstd.arrow"), compression="zstd")
    polars = pl.from_pandas(df.assign(sector=df["sector"].map(SECTORS))).with_columns(pl.col("region").cast(pl.Categorical))
    polars.write_ipc(os.path.join(HERE, "panel_polars.arrow"))

    # Identifiers beyond 2^53 as int64: 2^53 + 1 and 2^53 are one double, so three firms would be two.
    big = 2**53
    firms = [big + 1, big, big + 3]
    ids = pa.table({
        "firm": pa.array([f for f in firms for _ in range(4)] + [None], type=pa.int64()),
        "year": pa.array([2000 + t for _ in firms for t in range(4)] + [2000], type=pa.int64()),
        "x": [float((i * 7) % 11) for i in range(13)],
        "y": [float(i // 4) + 0.3 * ((i * 7) % 11) + 0.1 * (i % 3) for i in range(13)],
    })
    feather.write_feather(ids, os.path.join(HERE, "int64_ids.arrow"), compression="uncompressed")

    bad = os.path.join(HERE, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(HERE, "panel.dta"), "rb") as source:
        whole = source.read()
    with open(os.path.join(bad, "truncated.dta"), "wb") as target:
        target.write(whole[: int(len(whole) * 0.6)])
    lists = pa.table({"y": [1.0, 2.0, 3.0], "x": [0.5, 1.5, 2.5], "history": [[1, 2], [], [3]]})
    feather.write_feather(lists, os.path.join(bad, "list_column.arrow"), compression="uncompressed")
    with open(os.path.join(bad, "not_gzip.csv.gz"), "wb") as target:
        target.write(b"y,x\n1,2\n3,4\n")

    print("python", sys.version.split()[0], "pandas", pd.__version__, "pyarrow", pa.__version__,
          "pyreadstat", pyreadstat.__version__, "polars", pl.__version__, "numpy", np.__version__)


if __name__ == "__main__":
    main()
