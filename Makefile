# Two commands: `make reproduce` (the whole workflow on config.yaml) and `make test` (lint + tests).
# Both create the virtual environment with the pinned dependencies when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= all
# CONFIG: one config file, or a config and overlays ("configs/x.yaml mine.yaml", merged in order like snakemake)
CONFIG ?=
PAPER ?=
ARGS ?=
# targets go before --configfile (snakemake reads every word after it as another config file)
SMK := $(BIN)/snakemake --profile profiles/local --cores $(CORES)
CFG := $(if $(CONFIG),--configfile $(CONFIG))
CHECK := PYTHONPATH=src $(BIN)/python -m unlearn.config $(or $(CONFIG),config.yaml)

.PHONY: reproduce check test lint unit venv data figures report dry-run bench gpu-check mutants snapshot clean

# make reproduce [CONFIG=configs/x.yaml] [PAPER=tmu|rum|smu|survey|hdus|snn|baselines|tuning|comparison|figures|report]
reproduce: $(STAMP)
	@$(CHECK)
	$(SMK) $(PAPER) $(CFG) $(ARGS)

# the config alone: unknown keys, ranges, YAML syntax (file and line), dataset folder; no job runs
check: $(STAMP)
	@$(CHECK)

# the one-time data step of a cluster run, on a node with network (login node), never in a compute job:
# the official CIFAR python folders into data/ (where configs/paper/*.yaml look), each checked after download
data: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m unlearn.data fetch $(or $(DATASETS),cifar10 cifar100) --to data

# every figure from the stored numbers (after a `plots:` change only the plotting rules rerun)
figures: $(STAMP)
	@$(CHECK)
	$(SMK) figures $(CFG) $(ARGS)

# results/<name>/report.html: Snakemake's report of the config's tables and figures (runs what is missing first)
report: $(STAMP)
	@$(CHECK)
	$(SMK) report $(CFG) $(ARGS)

# the run's tables, claims and figures copied to docs/results/<name>/ (runs whatever is missing first)
snapshot: $(STAMP)
	@$(CHECK)
	$(SMK) snapshot $(CFG) $(ARGS)

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
	$(SMK) --dry-run $(PAPER) $(CFG) $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/loader_throughput.py
	$(BIN)/python bench/pipeline_timing.py
	$(BIN)/python bench/paper_cost.py --images 256
	$(BIN)/python bench/recipe_regime.py

# on a GPU node (< 8 min): training throughput fp32/bf16/channels_last/compile vs a DataLoader loop, a reduced
# paper DAG on CUDA, each paper config's projected GPU-hours; tables to results/gpu-check/gpu-check.md.
# Without a GPU: one line saying so, exit status 2. ARGS="--data DIR" names the CIFAR-10 folder.
gpu-check: $(STAMP)
	$(BIN)/python bench/gpu_check.py $(ARGS)

# planted bugs: each mutant in bench/mutants.py applied alone to a copy of the tree, the unit tests run against it;
# prints which the tests catch (ARGS="--jobs 2" for two at a time, ARGS="--only ID,ID" for some). ~15-40 min.
mutants: $(STAMP)
	$(BIN)/python bench/mutants.py $(ARGS)

clean:
	rm -rf results .snakemake
