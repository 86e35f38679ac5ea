"""The Spark side of ``quipu partial`` / ``quipu combine``.

Spark does the scheduling, the shuffle into partitions and the transport of the partials; Quipu
does every number. A partition becomes an Arrow IPC file in a temporary directory on the
executor, ``quipu partial`` turns it into a small Arrow partial, and the partial's bytes come
back to the driver as one row (partition index, bytes). The driver writes them out in
partition order and runs ``quipu combine``: so the result does not depend on which executor
finished first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Iterable, Iterator, Optional, Sequence


class QuipuSparkError(RuntimeError):
    """A quipu step failed; the message is quipu's own one-line error."""


def _quipu_binary(quipu: Optional[str]) -> str:
    binary = quipu or os.environ.get("QUIPU") or shutil.which("quipu")
    if not binary:
        raise QuipuSparkError("quipu not found: pass quipu=PATH, set QUIPU, or put quipu on PATH")
    return binary


def _run(arguments: Sequence[str]) -> bytes:
    result = subprocess.run(list(arguments), capture_output=True)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
        raise QuipuSparkError(message)
    return result.stdout


def _partial_task(quipu: str, arguments: Sequence[str], partitions: int, arrow_schema, solution: Optional[bytes]):
    """The function mapInArrow runs on each partition: its batches to a file, quipu partial, the
    partial's bytes back as one row."""

    def task(batches: Iterator) -> Iterable:
        import pyarrow as pa
        from pyspark import TaskContext

        index = TaskContext.get().partitionId()
        directory = tempfile.mkdtemp(prefix="quipu-spark-")
        try:
            data = os.path.join(directory, "partition.arrow")
            # The batches' own schema where there is one (Spark's exact Arrow types); an empty
            # partition still gets a file with the DataFrame's columns, and so a partial.
            first = next(batches, None)
            with pa.OSFile(data, "wb") as sink, pa.ipc.new_file(sink, first.schema if first is not None else arrow_schema) as writer:
                if first is not None:
                    writer.write_batch(first)
                for batch in batches:
                    writer.write_batch(batch)
            output = os.path.join(directory, "partial.arrow")
            extra = list(arguments)
            if solution is not None:
                solution_path = os.path.join(directory, "solution.arrow")
                with open(solution_path, "wb") as handle:
                    handle.write(solution)
                extra = ["--solution", solution_path]
            _run([quipu, "partial", "--data", data, "--format-in", "arrow", "--part", f"{index}/{partitions}", "--output", output] + extra)
            with open(output, "rb") as handle:
                payload = handle.read()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        yield pa.RecordBatch.from_arrays([pa.array([index], pa.int32()), pa.array([payload], pa.binary())],
                                         names=["partition", "partial"])

    return task


def _collect(frame, quipu, arguments, partitions, arrow_schema, solution, directory, prefix) -> list:
    try:
        rows = frame.mapInArrow(_partial_task(quipu, arguments, partitions, arrow_schema, solution),
                                "partition int, partial binary").collect()
    except Exception as error:
        # A failed task reaches the driver as Spark's exception with the executor's traceback;
        # quipu's own one-line message is what the user needs.
        for line in str(error).splitlines():
            if "QuipuSparkError: " in line:
                raise QuipuSparkError(line.split("QuipuSparkError: ", 1)[1].strip()) from None
        raise
    paths = []
    for row in sorted(rows, key=lambda row: row["partition"]):
        path = os.path.join(directory, f"{prefix}-{row['partition']}.arrow")
        with open(path, "wb") as handle:
            handle.write(bytes(row["partial"]))
        paths.append(path)
    return paths


def feols(frame, formula: str, *, partition_key: str, partitions: Optional[int] = None, nested_fe: Sequence[str] = (),
          vcov: str = "iid", weights: Optional[str] = None, output_format: str = "text", level: float = 0.95,
          keep_singletons: bool = False, fixef_tol: Optional[float] = None, collin_tol: Optional[float] = None,
          quipu: Optional[str] = None, work_directory: Optional[str] = None) -> str:
    """Fits ``formula`` on the Spark DataFrame ``frame`` as ``quipu feols`` would on the whole data.

    The rows are hash-partitioned by ``partition_key`` into ``partitions`` partitions (default:
    the DataFrame's current number); ``nested_fe`` names the fixed effects nested in that key
    (absorbed within partitions), any other fixed effect enters as dummies. Returns the text
    ``quipu combine`` writes in ``output_format`` (text, json, markdown, latex, csv).
    """
    from pyspark.sql import functions
    from pyspark.sql.pandas.types import to_arrow_schema

    binary = _quipu_binary(quipu)
    # The task function travels by value, so executors need no copy of this package installed.
    from pyspark import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    count = partitions or frame.rdd.getNumPartitions()
    partitioned = frame.repartition(count, functions.col(partition_key)).cache()
    arrow_schema = to_arrow_schema(partitioned.schema)
    model = ["--formula", formula, "--vcov", vcov]
    for name in nested_fe:
        model += ["--nested-fe", name]
    if weights:
        model += ["--weights", weights]
    if keep_singletons:
        model.append("--keep-singletons")
    if fixef_tol is not None:
        model += ["--fixef-tol", repr(fixef_tol)]
    if collin_tol is not None:
        model += ["--collin-tol", repr(collin_tol)]
    directory = work_directory or tempfile.mkdtemp(prefix="quipu-spark-driver-")
    try:
        first = _collect(partitioned, binary, model, count, arrow_schema, None, directory, "moments")
        solution = os.path.join(directory, "solution.arrow")
        _run([binary, "combine", *first, "--output", solution])
        with open(solution, "rb") as handle:
            solution_bytes = handle.read()
        second = _collect(partitioned, binary, [], count, arrow_schema, solution_bytes, directory, "scores")
        output = _run([binary, "combine", "--solution", solution, *second, "--format", output_format, "--level", repr(level)])
        return output.decode("utf-8")
    finally:
        partitioned.unpersist()
        if work_directory is None:
            shutil.rmtree(directory, ignore_errors=True)
