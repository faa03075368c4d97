# caselens: `make demo` and `make test` each set everything up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.caselens-installed
DEMO   := .caselens/demo

.PHONY: install demo test lint typecheck clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: it comes from local disk as a CPU build (an unpinned one pulls CUDA).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -rf $(DEMO)
	$(BIN)/caselens estate generate --families 20 --seed 7 --out $(DEMO)/estate
	CASELENS_DATA_DIR=$(DEMO) $(BIN)/caselens ingest $(DEMO)/estate
	CASELENS_DATA_DIR=$(DEMO) $(BIN)/caselens link --estate $(DEMO)/estate

test: install
	# A throwaway PostgreSQL on loopback for the store tests (CASELENS_TEST_POSTGRES=off: SQLite only).
	CASELENS_PROFILE=test $(BIN)/python tests/pg/with_postgres.py -- $(BIN)/python -m pytest

# caselens vs a naive pipeline, side by side; tables on stdout, JSON in .caselens/bench/.
bench: install
	$(BIN)/python benchmarks/run_bench.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf .caselens .pytest_cache .mypy_cache .ruff_cache
