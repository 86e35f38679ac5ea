#!/usr/bin/env python3
"""Generate a deterministic, balanced firm-year panel for the scale benchmark, in chunks.

    python3 Benchmarks/scale/generate_scale.py 1e8 --csv Benchmarks/data/scale_1e8.csv \
        --arrow Benchmarks/data/scale_1e8.arrow [--seed 20261130]

Columns, in this order:

    firm   int64 id, ROWS/10 firms, 9 digits (100000000 + 7*i + 3: increasing, not contiguous)
    year   int64, 2010..2019 (every firm has all 10 years)
    x1     0.7*firm effect + N(0,1), rounded to 6 decimals
    x2     0.5*year effect + N(0,1), rounded to 6 decimals
    x3     N(0,1), rounded to 6 decimals
    y      0.5*x1 - 0.3*x2 + 0.2*x3 + firm effect + year effect + N(0,1), rounded to 6 decimals
           (computed from the rounded x's)

Firm effects and year effects are N(0,1). Rows are sorted by firm, then year.

The data are generated CHUNK_FIRMS firms at a time (1,000,000 rows), each chunk from its own
random stream (SeedSequence([seed, chunk index])), so memory stays at a few hundred MB at any
size and the output depends only on (ROWS, --seed). The year effects come from a separate stream.

Outputs, each written to OUT.tmp and renamed when complete:
  * CSV (pyarrow.csv, plain unquoted header; floats in shortest round-trip form, so a few tiny
    values are written in exponent notation, e.g. 5e-06);
  * optionally an uncompressed Arrow IPC file (pyarrow.ipc.new_file), one record batch per chunk;
  * OUT.meta.json beside the CSV (and beside the Arrow file): arguments, sizes, true coefficients.

The CSV and the Arrow file hold the same float64 values: the CSV text round-trips exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_data import parse_count  # noqa: E402

N_YEARS = 10
FIRST_YEAR = 2010
CHUNK_FIRMS = 100_000  # 1,000,000 rows per chunk
DECIMALS = 6
TRUE_BETA = {"x1": 0.5, "x2": -0.3, "x3": 0.2}
FIRM_ID_BASE, FIRM_ID_STEP, FIRM_ID_OFFSET = 100_000_000, 7, 3
COLUMNS = ["firm", "year", "x1", "x2", "x3", "y"]
# Bump when the generated data would change for the same arguments.
GENERATOR_VERSION = 1

SCHEMA = pa.schema([("firm", pa.int64()), ("year", pa.int64())]
                   + [(c, pa.float64()) for c in COLUMNS[2:]])


def year_effects(seed: int) -> np.ndarray:
    return np.random.default_rng(np.random.SeedSequence([seed, 2**32 - 1])).standard_normal(N_YEARS)


def make_chunk(seed: int, index: int, first_firm: int, n_firms: int, gamma: np.ndarray) -> pa.RecordBatch:
    rng = np.random.default_rng(np.random.SeedSequence([seed, index]))
    n = n_firms * N_YEARS
    alpha = rng.standard_normal(n_firms)
    ids = FIRM_ID_BASE + FIRM_ID_STEP * np.arange(first_firm, first_firm + n_firms, dtype=np.int64) + FIRM_ID_OFFSET
    firm = np.repeat(ids, N_YEARS)
    year = np.tile(np.arange(FIRST_YEAR, FIRST_YEAR + N_YEARS, dtype=np.int64), n_firms)
    a = np.repeat(alpha, N_YEARS)
    g = np.tile(gamma, n_firms)
    x1 = np.round(0.7 * a + rng.standard_normal(n), DECIMALS)
    x2 = np.round(0.5 * g + rng.standard_normal(n), DECIMALS)
    x3 = np.round(rng.standard_normal(n), DECIMALS)
    eps = rng.standard_normal(n)
    y = np.round(TRUE_BETA["x1"] * x1 + TRUE_BETA["x2"] * x2 + TRUE_BETA["x3"] * x3 + a + g + eps, DECIMALS)
    arrays = [pa.array(firm), pa.array(year), pa.array(x1), pa.array(x2), pa.array(x3), pa.array(y)]
    return pa.record_batch(arrays, schema=SCHEMA)


def write_meta(path: str, meta: dict) -> None:
    tmp = path + ".meta.json.tmp"
    with open(tmp, "w") as fh:
        json.dump(meta, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, path + ".meta.json")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", type=parse_count, help="number of rows (a multiple of 10: 1e6, 1e7, 1e8)")
    ap.add_argument("--csv", required=True, help="CSV output path")
    ap.add_argument("--arrow", default=None, help="Arrow IPC output path (optional)")
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args(argv)
    if args.rows % N_YEARS:
        ap.error(f"rows must be a multiple of {N_YEARS} (balanced panel)")
    n_firms_total = args.rows // N_YEARS
    if FIRM_ID_BASE + FIRM_ID_STEP * n_firms_total + FIRM_ID_OFFSET > 999_999_999:
        ap.error("too many firms for 9-digit ids")

    t0 = time.perf_counter()
    gamma = year_effects(args.seed)
    csv_tmp = args.csv + ".tmp"
    arrow_tmp = args.arrow + ".tmp" if args.arrow else None
    opts = pacsv.WriteOptions(include_header=False, batch_size=64 * 1024)
    with open(csv_tmp, "wb") as csv_fh:
        csv_fh.write((",".join(COLUMNS) + "\n").encode())  # plain, unquoted header
        csv_writer = pacsv.CSVWriter(csv_fh, SCHEMA, write_options=opts)
        arrow_sink = pa.OSFile(arrow_tmp, "wb") if arrow_tmp else None
        arrow_writer = ipc.new_file(arrow_sink, SCHEMA) if arrow_sink else None
        try:
            n_chunks = -(-n_firms_total // CHUNK_FIRMS)
            for index in range(n_chunks):
                first = index * CHUNK_FIRMS
                batch = make_chunk(args.seed, index, first, min(CHUNK_FIRMS, n_firms_total - first), gamma)
                csv_writer.write_batch(batch)
                if arrow_writer:
                    arrow_writer.write_batch(batch)
                if n_chunks >= 20 and (index + 1) % max(1, n_chunks // 10) == 0:
                    print(f"  {index + 1}/{n_chunks} chunks, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        finally:
            csv_writer.close()
            if arrow_writer:
                arrow_writer.close()
                arrow_sink.close()
    os.replace(csv_tmp, args.csv)
    if arrow_tmp:
        os.replace(arrow_tmp, args.arrow)
    seconds = time.perf_counter() - t0

    meta = {
        "generator": "Benchmarks/scale/generate_scale.py",
        "generator_version": GENERATOR_VERSION,
        "rows": args.rows,
        "seed": args.seed,
        "firms": n_firms_total,
        "years": list(range(FIRST_YEAR, FIRST_YEAR + N_YEARS)),
        "columns": COLUMNS,
        "decimals": DECIMALS,
        "chunk_rows": CHUNK_FIRMS * N_YEARS,
        "true_coefficients": TRUE_BETA,
        "year_effects": [float(v) for v in gamma],
        "model": "y = 0.5*x1 - 0.3*x2 + 0.2*x3 + alpha_firm + gamma_year + N(0,1); "
                 "x1 = 0.7*alpha + N(0,1); x2 = 0.5*gamma + N(0,1); x3 = N(0,1); alpha, gamma ~ N(0,1)",
        "csv": os.path.basename(args.csv),
        "csv_bytes": os.path.getsize(args.csv),
        "arrow": os.path.basename(args.arrow) if args.arrow else None,
        "arrow_bytes": os.path.getsize(args.arrow) if args.arrow else None,
        "seconds": round(seconds, 1),
    }
    write_meta(args.csv, meta)
    if args.arrow:
        write_meta(args.arrow, meta)
    print(json.dumps({k: meta[k] for k in ("rows", "seed", "csv_bytes", "arrow_bytes", "seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
