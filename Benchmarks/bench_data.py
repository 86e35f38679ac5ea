"""Pieces shared by the benchmark data generators and runners.

`parse_count` reads row and cluster counts as people type them (1000000, 1e6, 10M, 1_000_000);
`write_csv` writes numpy columns as a CSV with a plain header, in chunks, atomically; `run_timed`
runs a command under GNU time for its wall time and peak memory. pyarrow is imported only by
`write_csv`, so the runners can import this module without it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time

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


def run_timed(cmd: list, timeout: float, cwd: str | None = None) -> dict:
    """Run `cmd` under `/usr/bin/time -f '%e %M'`: its wall seconds and peak RSS (KiB) as GNU time
    measures them (None if it could not), the harness's own wall seconds, the exit code (None on
    timeout), whether it timed out, and its stdout and stderr (a timeout adds a line saying so)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as handle:
        time_path = handle.name
    started = time.perf_counter()
    timed_out = False
    try:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", time_path] + list(cmd),
                              capture_output=True, text=True, timeout=timeout, cwd=cwd)
        returncode, out, err = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        timed_out, returncode = True, None
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        err = (expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")) \
            + f"\n[timeout after {timeout} s]"
    harness_seconds = time.perf_counter() - started
    wall = rss = None
    try:
        with open(time_path) as handle:
            lines = [line for line in handle.read().splitlines() if line.strip()]
        # GNU time writes "Command exited with non-zero status N" first on failure.
        parts = lines[-1].split() if lines else []
        if len(parts) == 2:
            wall, rss = float(parts[0]), int(parts[1])
    except (OSError, ValueError):
        pass
    finally:
        try:
            os.unlink(time_path)
        except OSError:
            pass
    return {"returncode": returncode, "timed_out": timed_out, "wall_seconds": wall, "peak_rss_kib": rss,
            "harness_seconds": harness_seconds, "stdout": out, "stderr": err}


def written_with(path: str, want: dict) -> bool:
    """True if `path` exists and its `path.meta.json` (written beside it by a generator) records
    every key of `want` with the same value and the file's current size, so a benchmark can reuse
    a data file only when the same generator version wrote it with the same arguments."""
    try:
        with open(path + ".meta.json") as fh:
            meta = json.load(fh)
    except (OSError, ValueError):
        return False
    return os.path.exists(path) and all(meta.get(k) == v for k, v in want.items()) \
        and meta.get("bytes") == os.path.getsize(path)

