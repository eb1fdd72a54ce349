# The ReLU course. `make lab` to learn, `make test` to check; `make help` lists the rest.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the pins, the packaging or JupyterLab's course settings change.
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# The edition `make lab` opens: en (the source) or zh (written from it by `make translations`).
EDITION ?= en
ifeq ($(filter $(EDITION),en zh),)
$(error EDITION must be en or zh; got '$(EDITION)')
endif
EDITION_NOTEBOOKS := $(if $(filter zh,$(EDITION)),$(sort $(wildcard notebooks/zh/[0-9][0-9]_*.ipynb)),$(NOTEBOOKS))
# The learner's own copies: JupyterLab opens these, so answers never touch notebooks/.
MY_NOTEBOOKS ?= my_notebooks$(if $(filter zh,$(EDITION)),/zh)
PORT ?= 8888
# `make test NOTEBOOK=05` and `make fresh-notebooks NOTEBOOK=05`: one notebook, by its number.
NOTEBOOK ?=
ONE_NOTEBOOK := $(if $(NOTEBOOK),$(wildcard notebooks/$(NOTEBOOK)_*.ipynb))
ifneq ($(NOTEBOOK),)
ifeq ($(ONE_NOTEBOOK),)
$(error NOTEBOOK=$(NOTEBOOK): no notebook notebooks/$(NOTEBOOK)_*.ipynb (give its number: 01 to 08))
endif
endif
# At most this many test processes (fewer on a machine with fewer cores).
TEST_WORKERS ?= 4
# Where `make book` stages its sources and writes the website.
BOOK := _build
# Fails on any warning: a broken link, a notebook missing from the book or its table of contents.
SPHINX = $(BIN)/sphinx-build -W --keep-going -q -c book
# Which torch build setup installs (etc/torch_build.py): auto, the default, takes PyTorch's
# CPU-only build on Linux without an NVIDIA driver and PyPI's wheel elsewhere; TORCH=cpu or
# TORCH=pypi decides instead.
TORCH ?= auto
ifeq ($(filter $(TORCH),auto pypi cpu),)
$(error TORCH must be auto, pypi or cpu; got '$(TORCH)')
endif
TORCH_PIN := $(shell sed -n 's/^torch==//p' requirements.txt)
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
# The same settings with JupyterLab's language set to Chinese: `make lab EDITION=zh` points
# JupyterLab at this folder, so the learner's own settings are never written.
LAB_SETTINGS_ZH := $(VENV)/share/jupyter/lab/settings-zh
# The course's JupyterLab extension (etc/lab-extension: worked solutions stay closed on Run All),
# built and committed; an editable install skips pyproject's data-files, so setup copies it.
LAB_EXTENSION := etc/lab-extension/labextension
LAB_EXTENSION_FILES := $(LAB_EXTENSION)/package.json $(wildcard $(LAB_EXTENSION)/static/*)
# Stored outputs are CPU outputs: compare and refresh them on the CPU, GPU or not.
CPU_ONLY := RELU_LIB_DEVICE=cpu
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup lab my-notebooks fresh-notebooks progress test book translations register execute lint bench \
	robustness lab-extension clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv with the pinned packages and relu_lib (TORCH=cpu|pypi|auto: which torch)

$(STAMP): requirements.txt pyproject.toml etc/jupyterlab-overrides.json $(LAB_EXTENSION_FILES)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else \
		"Python 3.11 or newer is needed; found " + sys.version.split()[0] + \
		". Run: make setup PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(PYTHON) etc/torch_build.py $(TORCH) > $(VENV)/.torch-source
	$(BIN)/python -m pip install --quiet "torch==$(TORCH_PIN)" $$(cat $(VENV)/.torch-source)
	@# setuptools says "Editable installation..." on every editable install: information
	@# a learner cannot act on, so it is the one warning filtered out here.
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	@# JupyterLab's settings for this venv only: no news or update checks (they go online).
	mkdir -p $(dir $(LAB_SETTINGS)) && cp etc/jupyterlab-overrides.json $(LAB_SETTINGS)
	mkdir -p $(LAB_SETTINGS_ZH) && $(BIN)/python -c 'import json, sys; settings = json.load(open(sys.argv[1])); \
		settings["@jupyterlab/translation-extension:plugin"] = {"locale": "zh_CN"}; \
		json.dump(settings, open(sys.argv[2], "w"), indent=2)' etc/jupyterlab-overrides.json $(LAB_SETTINGS_ZH)/overrides.json
	rm -rf $(VENV)/share/jupyter/labextensions/relu-course-lab
	mkdir -p $(VENV)/share/jupyter/labextensions
	cp -r $(LAB_EXTENSION) $(VENV)/share/jupyter/labextensions/relu-course-lab
	@$(BIN)/python -c 'import torch; build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "CPU-only"; \
		print(f"Installed torch {torch.__version__} ({build} build); .venv/ takes", end=" ")'
	@du -sh $(VENV) | cut -f1
	@echo "Next: make lab (中文版: make lab EDITION=zh) opens the course; make test checks it."
	touch $@

lab: $(STAMP) my-notebooks ## open JupyterLab on your copies of the notebooks (EDITION=zh: 中文版)
	@$(BIN)/python -c 'import socket, sys; taken = socket.socket().connect_ex(("127.0.0.1", $(PORT))) == 0; \
		sys.exit("Port $(PORT) is taken (another `make lab` still running?). Stop that one with Ctrl-C " \
		"in its terminal, or use another port: make lab PORT=8899" if taken else 0)'
	@echo "JupyterLab on http://127.0.0.1:$(PORT)/lab (open the link with ?token= below). Stop it: Ctrl-C, then y."
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
		--notebook-dir=$(MY_NOTEBOOKS) $(ROOT_FLAG) \
		$(if $(filter zh,$(EDITION)),--LabApp.app_settings_dir=$(abspath $(LAB_SETTINGS_ZH)))

# Standard library only: runs with the Python that makes .venv, before anything is installed.
LEARNER := $(PYTHON) etc/my_notebooks.py
LEARNER_ARGS = --to $(MY_NOTEBOOKS) $(EDITION_NOTEBOOKS)

my-notebooks: ## copy the notebooks you do not have yet into my_notebooks/, without outputs (never overwrites)
	@$(LEARNER) copy $(LEARNER_ARGS)
	@$(LEARNER) changed $(LEARNER_ARGS)

fresh-notebooks: ## start over (NOTEBOOK=03: that one only): yours move to my_notebooks/old-DATE/
	@$(LEARNER) fresh $(if $(NOTEBOOK),--only $(NOTEBOOK)) $(LEARNER_ARGS)

progress: ## your exercises, notebook by notebook: done, tried or not started (EDITION=zh: 中文版)
	@$(LEARNER) progress --lang $(EDITION) $(LEARNER_ARGS)

test: $(STAMP) $(if $(NOTEBOOK),,book) ## run every test (NOTEBOOK=05: that notebook's tests only, about a minute)
ifeq ($(NOTEBOOK),)
	@# Two notebooks at a time (pytest-xdist; each notebook's cells stay in one worker and one
	@# kernel): the notebooks train on one thread each, so a second core runs a second notebook.
	@# Longest first (the order is in tests/conftest.py).
	$(CPU_ONLY) $(BIN)/python -m pytest tests notebooks -n auto --maxprocesses=$(TEST_WORKERS) \
		--dist loadscope --no-loadscope-reorder --ignore=notebooks/zh \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
else
	@# The author's loop: nbval of one notebook (second runs and exercise stubs included), the
	@# tests named after it (its checkers', its translation's, its lesson path's), no book and no
	@# browser. The notebook runs in one worker while the other takes the rest.
	$(CPU_ONLY) $(BIN)/python -m pytest $(ONE_NOTEBOOK) tests -k "$(NOTEBOOK)_ or nb$(NOTEBOOK)" \
		--ignore=tests/test_lab_browser.py --ignore=tests/test_book_browser.py \
		-n auto --maxprocesses=$(TEST_WORKERS) --dist loadscope --no-loadscope-reorder \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
endif

book: $(BOOK)/html/.built ## build the course as a website: open _build/html/index.html (works offline)
	@echo "The book: $(BOOK)/html/index.html (中文版: $(BOOK)/html/zh/index.html)"

# Rebuilt only when one of its sources changed (or the packages): `make test` builds it first.
BOOK_NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb notebooks/zh/[0-9][0-9]_*.ipynb))
BOOK_SOURCES := README.md CONTRIBUTING.md etc/my_notebooks.py $(BOOK_NOTEBOOKS) \
	$(wildcard book/*.* book/_static/* book/_templates/*)
$(BOOK)/html/.built: $(STAMP) $(BOOK_SOURCES)
	rm -rf $(BOOK)/src $(BOOK)/html && mkdir -p $(BOOK)/src/{en,zh}/book $(BOOK)/src/en/notebooks $(BOOK)/src/zh/notebooks/zh
	cp README.md book/index.md $(BOOK)/src/en/ && cp notebooks/[0-9][0-9]_*.ipynb $(BOOK)/src/en/notebooks/
	cp book/references.md book/glossary.md $(BOOK)/src/en/book/ && cp book/references.md book/glossary.md $(BOOK)/src/zh/book/
	cp README.md $(BOOK)/src/zh/ && cp book/index_zh.md $(BOOK)/src/zh/index.md \
		&& cp notebooks/zh/[0-9][0-9]_*.ipynb $(BOOK)/src/zh/notebooks/zh/
	@# CONTRIBUTING.md holds both editions: each book gets its own half, under the same name.
	sed '/^<!-- 中文版 -->/,$$d' CONTRIBUTING.md > $(BOOK)/src/en/CONTRIBUTING.md
	sed '1,/^<!-- 中文版 -->/d' CONTRIBUTING.md > $(BOOK)/src/zh/CONTRIBUTING.md
	$(SPHINX) $(BOOK)/src/en $(BOOK)/html
	$(SPHINX) -D language=zh_CN $(BOOK)/src/zh $(BOOK)/html/zh
	touch $@

translations: $(STAMP) ## bring i18n/zh/*.po up to date with the notebooks, then write notebooks/zh/
	$(BIN)/python i18n/translate.py update
	$(BIN)/python i18n/translate.py build
	$(BIN)/python etc/claims_register.py

register: $(STAMP) ## rewrite README.md's register of claims from the notebooks' verdict cells
	$(BIN)/python etc/claims_register.py

execute: $(STAMP) ## re-run every notebook in place from a clean kernel, to refresh its outputs
	$(CPU_ONLY) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False \
		--ExecutePreprocessor.timeout=600 $(NOTEBOOKS)
	@# A second pass: nbconvert coalesces streams before it executes, not after. JupyterLab
	@# stores one stream output per cell, so this keeps a save from JupyterLab diff-free.
	$(BIN)/jupyter nbconvert --to notebook --inplace --log-level=WARN \
		--CoalesceStreamsPreprocessor.enabled=True $(NOTEBOOKS)
	@# The Chinese edition carries the same outputs: write it again (it refuses stale text).
	$(BIN)/python i18n/translate.py build

robustness: $(STAMP) ## every notebook again on other draws (seeds shifted, offsets 1-5): claims that fail
	$(BIN)/python etc/robustness_run.py $(ARGS)

lint: $(STAMP) ## ruff on relu_lib, tests, notebooks, i18n and book
	$(BIN)/ruff check relu_lib tests notebooks i18n book etc
	$(BIN)/ruff format --check relu_lib tests i18n book etc

bench: $(STAMP) ## cost of ReLU and other activations, and in-place ReLU's memory, on this machine
	$(BIN)/python -c 'import sys; from relu_lib.bench import main; main(sys.argv[1:])' $(ARGS)

lab-extension: $(STAMP) ## rebuild etc/lab-extension after editing its index.js (needs Node.js and npm)
	cd etc/lab-extension && npm ci --no-audit --no-fund && rm -rf labextension && node \
		node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path \
		"$$($(abspath $(BIN))/python -c 'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging")')" .
	@# What it was built from, so that a test can tell a stale build from a fresh one.
	cd etc/lab-extension && sha256sum index.js package.json package-lock.json > labextension/built-from.sha256
	$(MAKE) --no-print-directory setup

clean: ## remove .venv and caches
	rm -rf $(VENV) build *.egg-info .ruff_cache  # never my_notebooks/: your work
	find . -name __pycache__ -o -name .ipynb_checkpoints | xargs rm -rf
