# The task runner: every workflow of this repository is a target here, and CI calls them as they are.
# PYTHON picks the interpreter that builds .venv (Python 3.11 or newer): make demo PYTHON=python3.12
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 7071
ifeq ($(OS),Windows_NT)
PY     := $(VENV)/Scripts/python.exe
else
PY     := $(VENV)/bin/python
endif
STAMP  := $(VENV)/.installed
# make serve STRICT=1 (or STRICT=fail): devhost --strict watches orchestrator code for side effects.
STRICT ?=
STRICT_FLAG = $(if $(STRICT), --strict$(if $(filter fail,$(STRICT)),=fail))

.PHONY: help setup test lint format pytest demo figure docs-figure serve start bench clean FORCE

# `make help` lists each target's `## ` text. The text goes through make's own expansion
# (the $(eval) below), so a variable in it shows its value: $(PORT) prints 7071, or PORT=...
HELP_SOURCE = $(shell awk -F':.*## ' '/^[a-z-]+:.*## /{printf "make %-11s %s\\n", $$1, $$2}' $(MAKEFILE_LIST))

help: ## List the targets (make help PORT=8080 shows that port).
	$(eval HELP_TEXT := $(HELP_SOURCE))
	@printf '%b' '$(subst ','\'',$(HELP_TEXT))' | sed 's/^/  /'

# Before anything is installed: which Python does PYTHON name, and is it 3.11 or newer? One line
# and a stop if not. Only for the targets that need .venv (help, clean and start do not). The
# comparisons are make functions, so no particular shell is needed.
ifneq ($(filter-out help clean start,$(or $(MAKECMDGOALS),help)),)
PYTHON_FOUND := $(shell $(PYTHON) -c "import sys; sys.stdout.write(' '.join(map(str, sys.version_info[:3] + (sys.executable,))))" 2>/dev/null)
PYTHON_MAJOR := $(word 1,$(PYTHON_FOUND))
PYTHON_MINOR := $(word 2,$(PYTHON_FOUND))
PYTHON_SEEN  := Python $(PYTHON_MAJOR).$(PYTHON_MINOR).$(word 3,$(PYTHON_FOUND)) at $(word 4,$(PYTHON_FOUND))
ifeq ($(PYTHON_FOUND),)
$(error Python 3.11 or newer is needed, but PYTHON=$(PYTHON) does not run; choose one with PYTHON=, e.g. make $(or $(MAKECMDGOALS),setup) PYTHON=python3.11)
endif
ifneq ($(PYTHON_MAJOR).$(filter-out 0 1 2 3 4 5 6 7 8 9 10,$(PYTHON_MINOR)),3.$(PYTHON_MINOR))
$(error Python 3.11 or newer is needed, but PYTHON=$(PYTHON) is $(PYTHON_SEEN); choose another with PYTHON=, e.g. make $(or $(MAKECMDGOALS),setup) PYTHON=python3.11)
endif
# .venv remembers its interpreter in pyvenv.cfg (home = its folder, version = X.Y.Z): one made by
# another interpreter, or by another minor version, is rebuilt rather than silently reused.
VENV_CFG   := $(wildcard $(VENV)/pyvenv.cfg)
VENV_WORDS := $(if $(VENV_CFG),$(subst version_info = ,version=,$(subst version = ,version=,$(subst home = ,home=,$(file <$(VENV_CFG))))))
VENV_HOME  := $(patsubst home=%,%,$(filter home=%,$(VENV_WORDS)))
VENV_MINOR := $(subst $(eval) ,.,$(wordlist 1,2,$(subst ., ,$(patsubst version=%,%,$(filter version=%,$(VENV_WORDS))))))
PYTHON_HOME := $(patsubst %/,%,$(dir $(word 4,$(PYTHON_FOUND))))
ifneq ($(VENV_CFG),)
ifneq ($(realpath $(VENV_HOME)) $(VENV_MINOR),$(realpath $(PYTHON_HOME)) $(PYTHON_MAJOR).$(PYTHON_MINOR))
REBUILD_VENV := $(VENV) was made by Python $(VENV_MINOR) in $(VENV_HOME); rebuilding it with $(PYTHON_SEEN)
$(STAMP): FORCE
endif
endif
endif

$(STAMP): requirements.txt requirements-dev.txt tools/durable-lint/pyproject.toml tools/durable-devhost/pyproject.toml
	$(if $(REBUILD_VENV),@echo "$(REBUILD_VENV)" && rm -rf $(VENV))
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) ## Create .venv (Python 3.11+), install all, tools editable.

lint: $(STAMP) ## ruff (lint + format check) and durable_lint on the app.
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m durable_lint function_app.py app_settings.py contract.py redaction.py orchestrators activities starters fake_billing invoices

format: $(STAMP) ## Apply ruff's fixes and formatting.
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

pytest: $(STAMP) ## The test suite only.
	$(PY) -m pytest

test: lint pytest ## Lint, then the whole test suite (what CI runs).

demo: $(STAMP) ## The three, one at a time: tables, out/demo.json, figures.
	$(PY) -m comparison demo

# figure only redraws (it never writes the tracked docs/ files); docs-figure runs the demo and
# refreshes the committed figures, on purpose and on a quiet machine.
figure: $(STAMP) ## Redraw out/figure.png from out/demo.json (demo if none).
	$(if $(wildcard out/demo.json),,$(PY) -m comparison demo --no-plot)
	$(PY) -m comparison figure out/demo.json out/figure.png

docs-figure: $(STAMP) ## Run the demo; refresh docs/figure.png and its details.
	$(PY) -m comparison demo --figure docs/figure.png

serve: $(STAMP) ## Serve at http://127.0.0.1:$(PORT); STRICT=1 flags side effects.
	$(PY) -m devhost serve --port $(PORT)$(STRICT_FLAG)

start: ## The real host: Azurite and Core Tools (func start).
	./scripts/start-local.sh

bench: $(STAMP) ## Benchmarks: host overhead, scale, latency, linter speed.
	$(PY) -m benchmarks

clean: ## Remove .venv and generated output.
	rm -rf $(VENV) out .pytest_cache .ruff_cache .azurite
