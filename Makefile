# The ReLU course. `make lab` to learn, `make test` to check; `make help` lists the rest.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the pins or the packaging change.
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# Stored outputs are CPU outputs: compare and refresh them on the CPU, GPU or not.
CPU_ONLY := RELU_LIB_DEVICE=cpu
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup lab test execute lint bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv with the pinned packages and relu_lib (only when needed)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else \
		"Python 3.11 or newer is needed; found " + sys.version.split()[0] + \
		". Run: make setup PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

lab: $(STAMP) ## open JupyterLab on the notebooks (http://127.0.0.1:8888)
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP) ## run the unit tests, the notebook hygiene checks and every notebook (nbval)
	$(CPU_ONLY) $(BIN)/python -m pytest tests notebooks \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

execute: $(STAMP) ## re-run every notebook in place from a clean kernel, to refresh its outputs
	$(CPU_ONLY) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.timeout=600 $(NOTEBOOKS)

lint: $(STAMP) ## ruff on relu_lib, tests and notebooks
	$(BIN)/ruff check relu_lib tests notebooks
	$(BIN)/ruff format --check relu_lib tests

bench: $(STAMP) ## cost of ReLU and other activations, and in-place ReLU's memory, on this machine
	$(BIN)/python -c 'import sys; from relu_lib.bench import main; main(sys.argv[1:])' $(ARGS)

clean: ## remove .venv and caches
	rm -rf $(VENV) build *.egg-info .ruff_cache
	find . -name __pycache__ -o -name .ipynb_checkpoints | xargs rm -rf
