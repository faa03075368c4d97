# caselens: `make demo` and `make test` each set everything up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.caselens-installed
DEMO   := .caselens/demo

.PHONY: install demo test lint typecheck clean

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
	CASELENS_PROFILE=test $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf .caselens .pytest_cache .mypy_cache .ruff_cache
