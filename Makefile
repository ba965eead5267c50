# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip

.PHONY: demo test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The demo needs the core and the maps extra (boundaries, projection: the report's county map and
# Moran's I); the tests need every extra (maps, web, postgres, dist, dev).
# The demo's install goes through uv (a PyPI package) when pip can install it: measured on a loaded
# 2-core machine with empty caches, pip took 397 s for 86 packages that uv installed in
# 82 s including installing uv itself (uv does not read pip's configuration, so a machine's pip
# constraints do not bind it). Whenever uv cannot be installed or fails, pip does the work.
# The tests' install stays with pip, which honours the machine's pip configuration (constraints).
$(VENV)/.demo: pyproject.toml | $(BIN)/python
	( $(PIP) install --quiet uv && $(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[maps]" ) \
		|| $(PIP) install --quiet -e ".[maps]"
	touch $@

$(VENV)/.all: pyproject.toml | $(BIN)/python
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
