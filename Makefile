# Two commands do all the set-up from a fresh clone (see README.md):
#   make lab    create .venv, install the course, open JupyterLab on lesson 00
#   make test   the same plus the test tools, then every test (unit tests and nbval)
# Both are idempotent: the stamp files below make a second run reinstall nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet
# JupyterLab refuses to run as root unless told to (containers, Binder-like hosts).
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
PORT ?= 8888
# Unit tests, then the notebooks compared by nbval; notebooks stay whole on one worker (loadscope).
PYTEST_ARGS ?= -n 2 --dist loadscope

.PHONY: lab test execute exercises bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-lab
	$(PIP) -e '.[test]'
	touch $@

lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab course/00_start_here.ipynb --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS) \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --nbval-kernel-startup-timeout 120 \
	  tests course solutions

execute: $(VENV)/.installed-lab
	$(BIN)/nnbook execute $(NOTEBOOKS)

exercises: $(VENV)/.installed-lab
	$(BIN)/nnbook exercises build

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_fit.py

clean:
	rm -rf $(VENV) .pytest_cache
