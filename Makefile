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
# Unit tests, then the notebooks compared by nbval; notebooks stay whole on one worker (loadscope). Three workers
# on two cores: the system tests spend most of their time waiting on a browser, a kernel or nbgrader.
PYTEST_ARGS ?= -n 3 --dist loadscope

.PHONY: lab test unit execute exercises bench site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# jupyter/overrides.json: JupyterLab settings for the course (no news prompt, no update check).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(VENV)/.installed-lab: pyproject.toml jupyter/overrides.json | $(BIN)/python
	$(PIP) -e .
	mkdir -p $(dir $(LAB_SETTINGS)) && cp jupyter/overrides.json $(LAB_SETTINGS)
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-lab
	$(PIP) -e '.[test]'
	touch $@

# nbgrader in its own environment, with the course: tests/system/test_nbgrader.py grades with it.
NBGRADER_VENV := .venv-nbgrader
$(NBGRADER_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python -m pip install --disable-pip-version-check --quiet -e '.[nbgrader]'
	touch $@

# `jupyter trust`: the course's notebooks are executed headless, so JupyterLab would not trust them and
# would show each saved widget as a line of text; trusted, a lesson opens with its widgets drawn.
# JupyterLab's own banner prints /lab?token=..., which opens an empty workspace in a browser that did not
# start with it; we choose the token so we can print the lesson's own address. --port-retries=0: that
# address must be the real one, so a busy port is an error (try `make lab PORT=8899`). The server is rooted at
# the repo (a notebook argument would root it at course/ and break the ../exercises links); the default URL
# opens lesson 00 in a browser that JupyterLab starts itself.
LESSON := course/00_start_here.ipynb
# The course never reaches the network: no news feed, no update check, no extension index.
OFFLINE := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	--LabApp.extension_manager=readonly
lab: $(VENV)/.installed-lab
	@$(BIN)/jupyter trust course/*.ipynb solutions/*.ipynb exercises/*.ipynb > /dev/null
	@token=$$($(BIN)/python -c "import secrets; print(secrets.token_hex(24))"); \
	echo; echo "nnbook: JupyterLab is starting. Open lesson 00 at:"; \
	echo "    http://localhost:$(PORT)/lab/tree/$(LESSON)?token=$$token"; echo; \
	exec $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/$(LESSON) \
	  --port=$(PORT) --port-retries=0 --IdentityProvider.token=$$token $(OFFLINE) $(ROOT_FLAG) $(LAB_ARGS)

# Lint first (ruff: pyflakes, import order, pycodestyle; settings in pyproject.toml), then every test:
# tests/unit, tests/lessons, tests/system, and nbval over course/ and solutions/.
test: $(VENV)/.installed-test $(NBGRADER_VENV)/.installed
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
	$(BIN)/python bench/bench_widgets.py

clean:
	rm -rf $(VENV) .pytest_cache
