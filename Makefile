# Quipu: `make demo` and `make test` work on a fresh Debian machine with Swift 6.3.
SWIFT ?= swift
QUIPU_RELEASE := .build/release/quipu
DEB_PACKAGES := libopenblas-dev liblapacke-dev pkg-config

.PHONY: setup build release demo test bench clean

# Installs the BLAS/LAPACK development packages when they are missing (as root, or through sudo).
setup:
	@if pkg-config --exists openblas 2>/dev/null && [ -f /usr/include/lapacke.h ]; then \
	  echo "setup: OpenBLAS and LAPACKE present"; \
	else \
	  echo "setup: installing $(DEB_PACKAGES)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PACKAGES) >/dev/null; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product quipu

demo: release
	@echo "== Wooldridge Example 14.1: job-training grants and scrap rates, firm and year fixed effects =="
	$(QUIPU_RELEASE) feols --data Datasets/jtrain/jtrain.csv --formula "lscrap ~ grant + grant_1 | fcode + year"
	@echo
	@echo "== The same, standard errors clustered by firm =="
	$(QUIPU_RELEASE) feols --data Datasets/jtrain/jtrain.csv --formula "lscrap ~ grant + grant_1 | fcode + year" --vcov cluster:fcode

# The command-line tests run the debug binary, so build it before testing.
test: setup
	$(SWIFT) build
	$(SWIFT) test

bench: release
	bash Benchmarks/run_feols.sh --no-build

clean:
	rm -rf .build
