"""quipu-spark on a local[2] Spark gives the numbers of single-machine ``quipu feols`` (issue 26).

Runs when Java and PySpark are present (``make spark-check`` installs them); otherwise every
test is skipped with the reason. The panel is built here: unbalanced, with missing regressor
values, one single-row firm (a singleton), weights, and region codes that cross the partitions.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
QUIPU = os.environ.get("QUIPU", os.path.join(ROOT, ".build", "debug", "quipu"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

try:
    import pyspark  # noqa: F401
    HAVE_SPARK = shutil.which("java") is not None
    WHY = "java not found" if not HAVE_SPARK else ""
except ImportError:
    HAVE_SPARK, WHY = False, "pyspark not installed (make spark-check installs it)"


def panel_csv(path: str) -> None:
    generator = random.Random(7)
    with open(path, "w") as handle:
        handle.write("firm,year,region,y,x1,x2,w\n")
        for firm in range(60):
            effect = generator.gauss(0, 1)
            years = [2012] if firm == 5 else [year for year in range(2010, 2020) if generator.random() < 0.8]
            for year in years:
                x1 = generator.gauss(0, 1) + 0.1 * (year - 2015)
                x2 = generator.random()
                y = 1 + 0.5 * x1 - 0.3 * x2 + effect + 0.05 * (year - 2010) + generator.gauss(0, 1)
                shown = "" if generator.random() < 0.03 else repr(x1)
                handle.write(f"{firm},{year},{firm % 7},{y!r},{shown},{x2!r},{0.5 + generator.random()!r}\n")


def assert_same(test: unittest.TestCase, ours, theirs, path: str = "") -> None:
    if isinstance(ours, dict):
        test.assertEqual(set(ours), set(theirs), path)
        for key in ours:
            if key != "timings":
                assert_same(test, ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(ours, list):
        test.assertEqual(len(ours), len(theirs), path)
        for index, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(test, a, b, f"{path}[{index}]")
    elif isinstance(ours, float) or isinstance(theirs, float):
        scale = max(abs(ours), abs(theirs))
        test.assertTrue(math.isclose(ours, theirs, rel_tol=1e-10, abs_tol=1e-300), f"{path}: {ours!r} vs {theirs!r} (scale {scale})")
    else:
        test.assertEqual(ours, theirs, path)


MODELS = [
    ("y ~ x1 + x2 | firm + year", dict(vcov="cluster:firm", weights="w", nested_fe=["firm"])),
    ("y ~ x1 + x2 | firm + year", dict(vcov="cluster:region", nested_fe=["firm"])),
    ("y ~ x1 + x2", dict(vcov="hetero")),
]


@unittest.skipUnless(HAVE_SPARK, f"Spark check skipped: {WHY}")
class SparkEquivalenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from pyspark.sql import SparkSession

        if not os.access(QUIPU, os.X_OK):
            raise unittest.SkipTest(f"{QUIPU} not built: run swift build")
        # Spark's Python workers run this interpreter, which has pyarrow.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        cls.directory = tempfile.mkdtemp(prefix="quipu-spark-test-")
        cls.csv = os.path.join(cls.directory, "panel.csv")
        panel_csv(cls.csv)
        cls.spark = (SparkSession.builder.master("local[2]").appName("quipu-spark-test")
                     .config("spark.ui.enabled", "false").config("spark.task.maxFailures", "1").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
        cls.spark.sparkContext.setLogLevel("ERROR")
        cls.frame = cls.spark.read.csv(cls.csv, header=True, inferSchema=True)

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def single(self, formula, options):
        arguments = [QUIPU, "feols", "--data", self.csv, "--formula", formula, "--vcov", options["vcov"], "--fixef-tol", "1e-14",
                     "--format", "json"]
        if options.get("weights"):
            arguments += ["--weights", options["weights"]]
        return json.loads(subprocess.run(arguments, check=True, capture_output=True).stdout)

    def test_local_spark_equals_single_machine(self):
        from quipu_spark import feols

        for partitions in (1, 3, 8):
            for formula, options in MODELS:
                with self.subTest(partitions=partitions, formula=formula, vcov=options["vcov"]):
                    text = feols(self.frame, formula, partition_key="firm", partitions=partitions, output_format="json", quipu=QUIPU,
                                 **options)
                    assert_same(self, json.loads(text), self.single(formula, options), f"[{partitions} partitions]")

    def test_a_quipu_error_is_one_line(self):
        from quipu_spark import QuipuSparkError, feols

        with self.assertRaises(QuipuSparkError) as raised:
            feols(self.frame, "y ~ nope | firm", partition_key="firm", partitions=2, nested_fe=["firm"], quipu=QUIPU)
        self.assertIn("no column named 'nope'", str(raised.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
