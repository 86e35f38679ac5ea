"""``quipu-spark feols``: the feols options, a Parquet or CSV path, and a local or cluster Spark."""

from __future__ import annotations

import argparse
import sys

from .driver import QuipuSparkError, feols


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="quipu-spark", description="Quipu's feols across a Spark DataFrame's partitions.")
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser("feols", help="feols across partitions (quipu partial + quipu combine)")
    fit.add_argument("--data", required=True, help="Parquet directory/file, or CSV with a header row")
    fit.add_argument("--formula", required=True)
    fit.add_argument("--partition-key", required=True, help="column the rows are hash-partitioned by (the cluster or firm)")
    fit.add_argument("--partitions", type=int, default=None)
    fit.add_argument("--nested-fe", action="append", default=[], help="fixed effect nested in the partition key")
    fit.add_argument("--vcov", default="iid")
    fit.add_argument("--weights", default=None)
    fit.add_argument("--format", default="text", choices=["text", "json", "markdown", "latex", "csv"])
    fit.add_argument("--level", type=float, default=0.95)
    fit.add_argument("--keep-singletons", action="store_true")
    fit.add_argument("--fixef-tol", type=float, default=None)
    fit.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    fit.add_argument("--quipu", default=None, help="path of the quipu binary (default: $QUIPU or PATH)")
    arguments = parser.parse_args(argv)

    import os

    from pyspark.sql import SparkSession

    # Local workers run this interpreter (which has pyarrow) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    spark = SparkSession.builder.master(arguments.master).appName("quipu-spark").getOrCreate()
    try:
        path = arguments.data
        if path.endswith(".csv"):
            frame = spark.read.csv(path, header=True, inferSchema=True)
        else:
            frame = spark.read.parquet(path)
        text = feols(frame, arguments.formula, partition_key=arguments.partition_key, partitions=arguments.partitions,
                     nested_fe=arguments.nested_fe, vcov=arguments.vcov, weights=arguments.weights, output_format=arguments.format,
                     level=arguments.level, keep_singletons=arguments.keep_singletons, fixef_tol=arguments.fixef_tol, quipu=arguments.quipu)
    except QuipuSparkError as error:
        print(f"quipu-spark: error: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
