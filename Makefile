VENV := .venv
PY := $(VENV)/bin/python
SETUP := $(VENV)/.installed
.DEFAULT_GOAL := help
.PHONY: help test lint refresh bench soak clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(SETUP): pyproject.toml
	python3 -m venv $(VENV) && $(PY) -m pip install -q -U pip && $(PY) -m pip install -q -e '.[test]' && touch $(SETUP)

test: $(SETUP) ## Run the test suite
	$(PY) -m pytest

lint: $(SETUP) ## ruff and mypy --strict
	$(VENV)/bin/ruff check vaultkit tests benchmarks conftest.py && $(VENV)/bin/mypy vaultkit

refresh: $(SETUP) ## Refresh the sample vault offline from its bundled data
	$(VENV)/bin/vaultkit --vault vault refresh --offline

bench: $(SETUP) ## Benchmarks: load, the cold load against the blobs-only index, queries, memory, warm commands, start-up, one changed note, related from the index, parser worst cases, parse CPU, query languages, audit (BIG=1: 100k notes)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/cold_before_tables.py $(if $(BIG),--notes 10000)
	$(PY) benchmarks/warm_commands.py $(if $(BIG),--big)
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/changed_note.py
	$(PY) benchmarks/worst_case.py
	$(PY) benchmarks/parse_cpu.py
	$(PY) benchmarks/dataview.py
	$(PY) benchmarks/bases.py
	$(PY) benchmarks/audit.py
	$(PY) benchmarks/related_index.py

soak: $(SETUP) ## Long reliability runs (fuzzing, kill tests)
	VAULTKIT_SOAK=1 $(PY) -m pytest tests/reliability -s

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache vault/.vaultkit
