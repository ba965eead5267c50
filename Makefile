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
$(VENV)/.demo: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[maps]"
	touch $@

$(VENV)/.all: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[all]"
	touch $@ $(VENV)/.demo

demo: $(VENV)/.demo
	$(BIN)/ronghe demo --out demo-output

lint: $(VENV)/.all
	$(BIN)/ruff check src tests bench

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.all
	$(BIN)/python bench/core.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/uncertainty.py
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache
