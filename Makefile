# Two commands: `make reproduce` (the whole workflow on config.yaml) and `make test` (lint + tests).
# Both create the virtual environment with the pinned dependencies when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= all
CONFIG ?=
PAPER ?=
# targets go before --configfile (snakemake reads every word after it as another config file)
SMK := $(BIN)/snakemake --profile profiles/default --cores $(CORES)
CFG := $(if $(CONFIG),--configfile $(CONFIG))

.PHONY: reproduce test lint unit venv report dry-run bench snapshot clean

# make reproduce [CONFIG=configs/x.yaml] [PAPER=tmu|rum|smu|survey|baselines|comparison]
reproduce: $(STAMP)
	$(SMK) $(PAPER) $(CFG)

# the run's tables, claims and figures copied to docs/results/<name>/ (runs whatever is missing first)
snapshot: $(STAMP)
	$(SMK) snapshot $(CFG)

test: lint unit

venv: $(STAMP)

$(STAMP): envs/requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 needed (pinned torch wheels), found {sys.version.split()[0]}"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r envs/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile rules/
	$(BIN)/snakemake --lint --cores 1

unit: $(STAMP)
	$(BIN)/python -m pytest

dry-run: $(STAMP)
	$(SMK) --dry-run $(CFG)

report: $(STAMP)
	$(SMK) --report results/report.html $(CFG)

bench: $(STAMP)
	$(BIN)/python bench/loader_throughput.py
	$(BIN)/python bench/pipeline_timing.py
	$(BIN)/python bench/paper_cost.py --images 256
	$(BIN)/python bench/recipe_regime.py

clean:
	rm -rf results figures .snakemake
