# The task runner: every workflow of this repository is a target here, and CI calls them as they are.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 7071
STAMP  := $(VENV)/.installed

.PHONY: help setup test lint format pytest demo figure serve start bench clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the app and dev requirements.

lint: $(STAMP) ## ruff (lint + format check) and durable_lint on the app.
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m durable_lint function_app.py app_settings.py orchestrators activities starters fake_billing invoices

format: $(STAMP) ## Apply ruff's fixes and formatting.
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

pytest: $(STAMP) ## The test suite only.
	$(PY) -m pytest

test: lint pytest ## Lint, then the whole test suite (what CI runs).

demo: $(STAMP) ## The three side by side under the Azure-like profile: tables, out/demo.json, out/figure.png.
	$(PY) -m comparison demo

figure: $(STAMP) ## Run the demo and write the README's figure, docs/figure.png.
	$(PY) -m comparison demo --figure docs/figure.png

serve: $(STAMP) ## Serve the app on the embedded host at http://127.0.0.1:$(PORT) (like func start).
	$(PY) -m devhost serve --port $(PORT)

start: ## The real path: Azurite + Azure Functions Core Tools (func start).
	./scripts/start-local.sh

bench: $(STAMP) ## Benchmarks: host overhead, scale, latency bound, linter speed.
	$(PY) -m benchmarks

clean: ## Remove the virtual environment and generated output.
	rm -rf $(VENV) out .pytest_cache .ruff_cache .azurite
