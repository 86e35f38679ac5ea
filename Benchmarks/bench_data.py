"""Pieces shared by the benchmark data generators and runners.

`parse_count` reads row and cluster counts as people type them (1000000, 1e6, 10M, 1_000_000);
`write_csv` writes numpy columns as a CSV with a plain header, in chunks, atomically. pyarrow is
imported only by `write_csv`, so the runners can import this module without it.
"""

from __future__ import annotations

import argparse
import os

CHUNK_ROWS = 1_000_000


def parse_count(text: str) -> int:
    """A positive whole count: 1000000, 1e6, 10M, 100k or 1_000_000."""
    t = text.strip().replace("_", "").lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1_000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    try:
        value = float(t) * mult
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count: {text!r}") from None
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"invalid count: {text!r}")
    return int(value)


def write_csv(cols: dict, path: str) -> None:
    """Write the columns (name -> numpy array, in order) to `path` through a temporary file."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = list(cols)
    rows = len(cols[names[0]])
    tmp = path + ".tmp"
    opts = pacsv.WriteOptions(include_header=False, batch_size=64 * 1024)
    with open(tmp, "wb") as fh:
        # Plain, unquoted header (pyarrow would quote column names).
        fh.write((",".join(names) + "\n").encode())
        schema = pa.schema([(n, pa.from_numpy_dtype(cols[n].dtype)) for n in names])
        with pacsv.CSVWriter(fh, schema, write_options=opts) as writer:
            for start in range(0, rows, CHUNK_ROWS):
                stop = min(start + CHUNK_ROWS, rows)
                writer.write_batch(pa.record_batch([pa.array(cols[n][start:stop]) for n in names], names=names))
    os.replace(tmp, path)
