# impact-assistant: `make run` to use it, `make test` to test it. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.DEFAULT_GOAL := help
.PHONY: help install install-test run chat test test-fast check lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

install: $(STAMP) ## Create .venv, install the project, export the embedding model to ONNX
	$(BIN)/impact export-model
	@# Bytecode now, so a new `impact` process never compiles the sources (PYTHONDONTWRITEBYTECODE).
	$(BIN)/python -m compileall -q assistant knowledge api prompts > /dev/null
	@echo "Installed. Try: $(BIN)/impact --help"

install-test: $(TEST_STAMP) ## Install with the test and lint tools

run: $(STAMP) ## Index the bundled pack on first run, then serve the API, console and demo on 127.0.0.1:8000
	$(BIN)/impact serve --demo --host 127.0.0.1 --port 8000

chat: $(STAMP) ## Index the bundled pack on first run, then chat in the terminal
	$(BIN)/impact start

test: $(TEST_STAMP) ## Run the whole test suite (slow system tests included)
	$(BIN)/python -m pytest -q

test-fast: $(TEST_STAMP) ## Run the tests except the slow system tests (many processes, servers)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(TEST_STAMP) ## ruff (lint and format check), mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(TEST_STAMP) ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test-fast ## ruff, mypy, import contracts and the quick tests (`make test` and CI also run the slow ones)

bench: $(TEST_STAMP) ## Run the benchmarks (retrieval, ingest, query, answers, actions, API, start-up, int8)
	$(BIN)/python benchmarks/retrieval.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py
	$(BIN)/python benchmarks/lexical.py
	$(BIN)/python benchmarks/scale.py --sizes 100000
	$(BIN)/python benchmarks/answers.py
	$(BIN)/python benchmarks/actions.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/quantized.py

clean: ## Remove the virtualenv and caches (not your data directory)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
