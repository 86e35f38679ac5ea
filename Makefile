# Quipu: `make demo` and `make test` work on a fresh Debian machine with Swift 6.3.
SWIFT ?= swift
QUIPU_RELEASE := .build/release/quipu
DEB_PACKAGES := libopenblas-dev liblapacke-dev pkg-config
PERU := Datasets/peru-natural-ingredients/peru.csv

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
	@echo "== A first look at the (simulated) panel of Peruvian natural-ingredients exporters =="
	$(QUIPU_RELEASE) describe --data $(PERU) --unit firm_id --time year --cohort cbi_cohort --outcomes export_non_eu,sales
	@echo
	@echo "== Did CBI export coaching raise sales? Event study, firm and year fixed effects, clustered by firm =="
	$(QUIPU_RELEASE) did --data $(PERU) --outcome "log(sales)" --unit firm_id --time year --cohort cbi_cohort \
	  --event-study --window -6:3 --plot demo-event-study.svg
	@echo "(event-study plot written to demo-event-study.svg)"
	@echo
	@echo "== Staggered PUM missions (14 cohorts): Callaway-Sant'Anna first, TWFE beside it (true effect 0.198) =="
	$(QUIPU_RELEASE) did --data $(PERU) --outcome "log(sales)" --unit firm_id --time year --cohort pum_cohort --aggregate simple,group \
	  --combine "(g2005 + g2006 + g2007)/3"
	@echo
	@echo "== Every estimator's event-time profile on one chart =="
	$(QUIPU_RELEASE) did --data $(PERU) --outcome "log(export_eu)" --unit firm_id --time year --cohort pum_cohort --estimator all \
	  --aggregate simple --plot demo-profiles.svg --format csv --output demo-staggered.csv
	@echo "(profiles written to demo-profiles.svg, estimates to demo-staggered.csv)"
	@echo
	@echo "== A real panel: Wooldridge Example 14.1, job-training grants and scrap rates, with a wild cluster bootstrap =="
	$(QUIPU_RELEASE) feols --data Datasets/jtrain/jtrain.csv --formula "lscrap ~ grant + grant_1 | fcode + year" \
	  --vcov cluster:fcode --bootstrap wild --reps 9999 --seed 42

# The command-line tests run the debug binary, so build it before testing.
test: setup
	$(SWIFT) build
	$(SWIFT) test

bench: release
	bash Benchmarks/run_feols.sh --no-build

clean:
	rm -rf .build
