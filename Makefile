# SPDX-License-Identifier: GPL-3.0-or-later
# make run   — build (release) and solve the bundled sample, printing the summary
# make test  — run the test suite
# make bench — benchmarks against glpsol, PuLP, SCIP and HiGHS (docs/benchmarks*.md)
# Both install GLPK (libglpk-dev) first when it is missing.

SWIFT ?= swift
OUT ?= out

.PHONY: run test bench build glpk glpsol clean

run: glpk
	$(SWIFT) build -c release --product salesmotion
	$$($(SWIFT) build -c release --show-bin-path)/salesmotion solve --data data/sample --model models/standard.toml --out $(OUT)

test: glpk glpsol
	$(SWIFT) test

# Benchmarks (not part of make test): SalesMotion against glpsol and PuLP (docs/benchmarks.md), and
# every generator profile against SCIP and HiGHS on the exported MPS (docs/benchmarks-profiles.md), and
# every profile at a million accounts at the default gap (docs/benchmarks-profiles-1m.md).
bench: glpk glpsol
	python3 -c "import pulp" 2>/dev/null || pip install pulp
	python3 -c "import pyscipopt, highspy" 2>/dev/null || pip install pyscipopt highspy
	python3 benchmarks/run.py
	python3 benchmarks/profiles.py --sizes 10000,100000 --peers-at 10000
	python3 benchmarks/profiles.py --sizes 1000000 --gap 1e-4 --time-limit 30 --peers-at '' \
		--out docs/benchmarks-profiles-1m.md

build: glpk
	$(SWIFT) build

# GLPK's header and library; Debian ships no pkg-config file, so look for the header.
glpk:
	@if [ ! -f /usr/include/glpk.h ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing libglpk-dev (GLPK) …"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev; \
	  else \
	    echo "GLPK is missing: install it with 'sudo apt-get install libglpk-dev' (Debian/Ubuntu)."; exit 1; \
	  fi; \
	fi

# glpsol, for the cross-checks of make test (models/allocation.mod, the exported LP and MPS):
# installed like GLPK, or make fails loudly, so those tests never skip silently.
glpsol:
	@if ! command -v glpsol >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq glpk-utils; \
	  else \
	    echo "glpsol is missing: install it with 'sudo apt-get install glpk-utils'."; exit 1; \
	  fi; \
	fi

clean:
	rm -rf .build $(OUT)
