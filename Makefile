# Two commands do all the set-up from a fresh clone (see README.md):
#   make lab    create .venv, install the course with JupyterLab (the lab extra), open it on lesson 00
#   make test   the same plus the test tools, then every test (unit tests and nbval)
# Both are idempotent: the stamp files below make a second run reinstall nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet
PORT ?= 8888
# Unit tests, then the notebooks compared by nbval; notebooks stay whole on one worker (loadscope). Three workers
# on two cores: the system tests spend most of their time waiting on a browser, a kernel or nbgrader.
PYTEST_ARGS ?= -n 3 --dist loadscope

.PHONY: lab test unit execute exercises bench site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-lab: pyproject.toml setup.py | $(BIN)/python
	$(PIP) -e '.[lab]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-lab
	$(PIP) -e '.[test]'
	touch $@

# The course installed as a learner or a JupyterHub would install it: the wheel built from the sdist (not
# editable), with nbgrader, in its own environment (beside the learners' course, nbgrader would add its
# extensions to their JupyterLab). tests/system/test_installed.py and test_nbgrader.py use it. Rebuilt when a
# tracked file the wheel or the sdist holds changes.
INSTALLED := .venv-installed
DIST := build/dist
$(INSTALLED)/.installed: pyproject.toml setup.py MANIFEST.in $(wildcard $(shell git ls-files nnbook course exercises solutions 2>/dev/null)) | $(VENV)/.installed-test
	rm -rf $(DIST) && mkdir -p $(dir $(DIST)) && $(BIN)/python -m build --outdir $(DIST) . > $(DIST).log 2>&1 || { cat $(DIST).log; exit 1; }
	[ -x $(INSTALLED)/bin/python ] || $(PYTHON) -m venv $(INSTALLED)
	$(INSTALLED)/bin/python -m pip install --disable-pip-version-check --quiet "$$(ls $(DIST)/*.whl)[lab,nbgrader]"
	$(INSTALLED)/bin/python -m pip install --disable-pip-version-check --quiet --force-reinstall --no-deps $(DIST)/*.whl
	touch $@

# The same wheel as a hosted runtime (Colab) installs it: no extras, so no JupyterLab. tests/system/test_hosted.py
# runs a lesson and an exercise in a kernel of it, from a folder that held only the notebook.
HOSTED := .venv-hosted
$(HOSTED)/.installed: $(INSTALLED)/.installed
	[ -x $(HOSTED)/bin/python ] || $(PYTHON) -m venv $(HOSTED)
	$(HOSTED)/bin/python -m pip install --disable-pip-version-check --quiet "$$(ls $(DIST)/*.whl)"
	$(HOSTED)/bin/python -m pip install --disable-pip-version-check --quiet --force-reinstall --no-deps $(DIST)/*.whl
	touch $@

# `nnbook start .` (nnbook/tools/start.py) trusts the notebooks (they were executed headless, and JupyterLab
# draws the saved widgets only of a trusted notebook), installs the course's JupyterLab settings and opens
# lesson 00 on PORT, offline, printing the lesson's own address. A busy port is an error: `make lab PORT=8899`.
lab: $(VENV)/.installed-lab
	@exec $(BIN)/nnbook start . --port $(PORT) $(LAB_ARGS)

# Lint first (ruff: pyflakes, import order, pycodestyle; settings in pyproject.toml), then every test:
# tests/unit, tests/lessons, tests/system, and nbval over course/ and solutions/.
test: $(VENV)/.installed-test $(INSTALLED)/.installed $(HOSTED)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS) \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --nbval-kernel-startup-timeout 120 \
	  tests course solutions

# The fast tests only: no kernel, no server, on 2 workers; each exercise check's named mistakes are graded 5 times
# here instead of make test's 10.
unit: $(VENV)/.installed-test
	NNBOOK_CHECK_RUNS=$${NNBOOK_CHECK_RUNS:-5} $(BIN)/python -m pytest -n 2 -q tests/unit

# The course as a static website in build/site/ (open build/site/index.html): site/build.py runs Sphinx with
# myst-nb over course/, exercises/ and solutions/, showing their stored outputs (nothing is executed). npm, where
# present, fetches MathJax, require.js and the widget manager into build/site-npm/ once, so the pages need no
# network; without npm the build still succeeds and says which of them load from a CDN.
$(VENV)/.installed-site: pyproject.toml $(VENV)/.installed-lab
	$(PIP) -e '.[site]'
	touch $@

site: $(VENV)/.installed-site
	$(BIN)/python site/build.py

execute: $(VENV)/.installed-lab
	$(BIN)/nnbook execute $(NOTEBOOKS)

exercises: $(VENV)/.installed-lab
	$(BIN)/nnbook exercises build

bench: $(VENV)/.installed-test
	$(BIN)/python bench/bench_fit.py
	$(BIN)/python bench/bench_digits.py
	$(BIN)/python bench/bench_widgets.py

clean:
	rm -rf $(VENV) $(INSTALLED) $(HOSTED) .pytest_cache build/dist
