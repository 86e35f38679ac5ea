# Quipu: `make demo` and `make test` work on a fresh Debian machine with Swift 6.3.
SWIFT ?= swift
QUIPU_RELEASE := .build/release/quipu
DEB_PACKAGES := libopenblas-dev liblapacke-dev pkg-config libreadstat-dev zlib1g-dev liblz4-dev libzstd-dev
PERU := Datasets/peru-natural-ingredients/peru.csv

.PHONY: setup build release demo test bench coverage clean fuzz fuzz-build notebooks notebooks-venv notebooks-run differential

# Installs the system libraries when they are missing (as root, or through sudo): BLAS/LAPACK,
# and ReadStat, zlib, LZ4 and Zstandard for the Stata, SPSS, gzip and Arrow readers.
setup:
	@if pkg-config --exists openblas zlib liblz4 libzstd 2>/dev/null && [ -f /usr/include/lapacke.h ] \
	  && [ -f /usr/include/readstat.h ]; then \
	  echo "setup: OpenBLAS, LAPACKE, ReadStat, zlib, LZ4 and Zstandard present"; \
	else \
	  echo "setup: installing $(DEB_PACKAGES)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES) >/dev/null; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product quipu

# The full evaluation of the bundled Peru panel (both programmes, five outcomes) as one report;
# quipu report prints the report's path and its headline numbers beside the truth file's.
DEMO_REPORT := demo-report
demo: release
	@echo "== Evaluating CBI export coaching and PUM expert missions on the simulated Peru panel =="
	@echo "   spec: Datasets/peru-natural-ingredients/evaluation.yaml (true effects: peru-truth.json)"
	@start=$$(date +%s); \
	$(QUIPU_RELEASE) report --spec Datasets/peru-natural-ingredients/evaluation.yaml --out $(DEMO_REPORT) && \
	echo && echo "(finished in $$(( $$(date +%s) - start )) s; open $(DEMO_REPORT)/report.html in a browser)"

# The command-line tests run the debug binary, so build it before testing. The notebooks run
# first (into .build/notebooks/executed, leaving the committed ones alone), so that a cell that
# fails fails the run and swift test's summary stays the last thing printed. The coverage study's
# arithmetic self-test (Benchmarks/coverage/test_coverage.py, standard library only) runs first.
test: setup
	$(SWIFT) build
	$(MAKE) --no-print-directory spark-test-if-available
	python3 Benchmarks/coverage/test_coverage.py
	$(MAKE) --no-print-directory notebooks-run NOTEBOOKS_OUT=.build/notebooks/executed
	$(SWIFT) test

# Jupyter notebooks (Notebooks/): a virtual environment with the pinned Python packages of
# Notebooks/requirements.txt (re-created when that file changes), then every notebook executed
# headless against the debug build; any cell that raises fails the target. `make notebooks`
# rewrites the notebooks in place with their new outputs (commit them); NOTEBOOKS_OUT=DIR writes
# the executed copies to DIR instead. PYTHON picks the interpreter of the environment.
PYTHON ?= python3
NOTEBOOKS_VENV := Notebooks/.venv
NOTEBOOKS_OUT ?=

$(NOTEBOOKS_VENV)/.installed: Notebooks/requirements.txt
	rm -rf $(NOTEBOOKS_VENV)
	@$(PYTHON) -m venv $(NOTEBOOKS_VENV) 2>/dev/null || { \
	  echo "notebooks: $(PYTHON) -m venv failed; installing Debian's python3-venv"; rm -rf $(NOTEBOOKS_VENV); \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv >/dev/null && \
	  $(PYTHON) -m venv $(NOTEBOOKS_VENV); }
	$(NOTEBOOKS_VENV)/bin/python -m pip install -q --disable-pip-version-check -r Notebooks/requirements.txt
	touch $@

notebooks-venv: $(NOTEBOOKS_VENV)/.installed

notebooks: build notebooks-run

notebooks-run: notebooks-venv
	QUIPU=$(CURDIR)/.build/debug/quipu $(NOTEBOOKS_VENV)/bin/python Notebooks/execute.py \
	  $(if $(NOTEBOOKS_OUT),--output-dir $(NOTEBOOKS_OUT))

# Fuzzing with libFuzzer and AddressSanitizer (see "Fuzzing" in the README). Each target runs
# FUZZ_RUNS inputs, starting from the seeds in Tests/Fuzz/corpus; inputs that find new coverage
# go to .build-fuzz/fuzz/corpus, crashes, leaks and timeouts to .build-fuzz/fuzz/crashes, and any
# of them fails the run (SwiftPM owns .build-fuzz/artifacts, hence the sub-folder).
# `make fuzz FUZZ_RUNS=10000` for a quick look; FUZZ_FLAGS adds libFuzzer options.
FUZZ_RUNS ?= 1000000
FUZZ_TIMEOUT ?= 10
FUZZ_FLAGS ?=
FUZZ_SCRATCH := .build-fuzz
FUZZ_WORK := $(FUZZ_SCRATCH)/fuzz
FUZZ_BUILD := $(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DQUIPU_LIBFUZZER -Xswiftc -DQUIPU_FUZZ_INTERNALS -Xswiftc -enable-testing
FUZZ_COMMON = -runs=$(FUZZ_RUNS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 -print_final_stats=1 $(FUZZ_FLAGS)

fuzz-build: setup
	$(FUZZ_BUILD) --product FuzzCSV
	$(FUZZ_BUILD) --product FuzzFormula

fuzz: fuzz-build
	@mkdir -p $(FUZZ_WORK)/corpus/csv $(FUZZ_WORK)/corpus/formula $(FUZZ_WORK)/crashes/csv $(FUZZ_WORK)/crashes/formula
	OPENBLAS_NUM_THREADS=1 $(FUZZ_SCRATCH)/release/FuzzCSV $(FUZZ_COMMON) -max_len=4096 -dict=Tests/Fuzz/csv.dict \
	  -artifact_prefix=$(FUZZ_WORK)/crashes/csv/ $(FUZZ_WORK)/corpus/csv Tests/Fuzz/corpus/csv
	OPENBLAS_NUM_THREADS=1 $(FUZZ_SCRATCH)/release/FuzzFormula $(FUZZ_COMMON) -max_len=512 -dict=Tests/Fuzz/formula.dict \
	  -artifact_prefix=$(FUZZ_WORK)/crashes/formula/ $(FUZZ_WORK)/corpus/formula Tests/Fuzz/corpus/formula
	@echo "fuzz: $(FUZZ_RUNS) executions per target, no crash, leak or timeout"

# Differential test of `quipu feols` and `quipu did` against pyfixest 0.60, a dense reference
# computation and, where Rscript and fixest are installed, R fixest (see Tests/Differential/README.md). DIFF_SPECS specifications in all, split over
# DIFF_SEEDS; exits non-zero when a disagreement is classified as a quipu defect. The Python side
# runs in Tests/Differential/.venv (created and filled from PyPI on first use); DIFF_PYTHON=python3
# uses an interpreter that already has pyfixest 0.60.0 instead. DIFF_QUIPU picks the binary
# (default: the debug build, built first).
DIFF_SPECS ?= 500
DIFF_SEEDS ?= 1,2
DIFF_JOBS ?= 2
DIFF_VENV := Tests/Differential/.venv
DIFF_PYTHON ?= $(DIFF_VENV)/bin/python
DIFF_QUIPU ?= .build/debug/quipu
DIFF_FLAGS ?=

$(DIFF_VENV)/.installed: Tests/Differential/requirements.txt
	python3 -m venv $(DIFF_VENV)
	$(DIFF_VENV)/bin/python -m pip install -q --disable-pip-version-check -r Tests/Differential/requirements.txt
	touch $@

differential: setup
	$(SWIFT) build --product quipu
	@if [ "$(DIFF_PYTHON)" = "$(DIFF_VENV)/bin/python" ]; then $(MAKE) --no-print-directory $(DIFF_VENV)/.installed; fi
	$(DIFF_PYTHON) Tests/Differential/differential.py --specs $(DIFF_SPECS) --seeds $(DIFF_SEEDS) \
	  --jobs $(DIFF_JOBS) --quipu $(DIFF_QUIPU) $(DIFF_FLAGS)

bench: release
	bash Benchmarks/run_feols.sh --no-build

# The Monte Carlo coverage study of `quipu did` (Benchmarks/coverage/README.md): 200 simulated Peru
# panels of the default and the no-effect design, about 23 minutes on 2 idle cores (from its CPU time,
# 2026-12-07). COVERAGE_FLAGS="--panels 20" for a pilot.
COVERAGE_FLAGS ?=
coverage: release
	bash Benchmarks/coverage/run.sh --no-build $(COVERAGE_FLAGS)

clean:
	rm -rf .build

# Spark (issue 26): Integrations/spark's test that quipu-spark on a local[2] Spark gives the
# numbers of single-machine quipu feols. `make spark-check` installs Debian's OpenJDK 17 and a
# virtual environment with the pinned PySpark when missing; `make test` runs the same test only
# when both are there already, and says so when it skips it.
SPARK_VENV := .build/spark-venv

$(SPARK_VENV)/.installed: Integrations/spark/requirements.txt
	rm -rf $(SPARK_VENV)
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install -q --disable-pip-version-check -r Integrations/spark/requirements.txt
	touch $@

spark-java:
	@command -v java >/dev/null || { SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

spark-check: build spark-java $(SPARK_VENV)/.installed
	$(SPARK_VENV)/bin/python Integrations/spark/tests/test_spark_equivalence.py

spark-test-if-available:
	@if command -v java >/dev/null && $(SPARK_VENV)/bin/python -c "import pyspark" 2>/dev/null; then \
	  $(SPARK_VENV)/bin/python Integrations/spark/tests/test_spark_equivalence.py; \
	else echo "spark-check skipped: Java or PySpark ($(SPARK_VENV)) missing; make spark-check installs them"; fi

.PHONY: spark-java spark-check spark-test-if-available
