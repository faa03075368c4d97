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
	$(BIN)/python -m pip install --quiet -e ".[dev,spark,bench]"
	touch $(STAMP)

install: $(STAMP)

# The demo's own settings: everything lives under $(DEMO); the vault key is a throwaway.
# umask 077: everything the demo writes (store, keys, users, tokens, exports) is owner-only.
U   = umask 077 &&
CL  = CASELENS_DATA_DIR=$(DEMO) CASELENS_USERS_PATH=$(DEMO)/users.yaml $(BIN)/caselens
CLK = CASELENS_VAULT_KEY=$$(cat $(DEMO)/vault.key) $(CL)
Q1  = What is the history of drug and alcohol misuse in this family, and how has it presented?
Q2  = Have there been any domestic abuse incidents, and what support is recorded?
Q3  = Should the children be removed from their mother?

demo: install
	rm -rf $(DEMO)
	$(U) $(BIN)/caselens estate generate --families 20 --seed 7 --out $(DEMO)/estate
	$(U) $(CL) ingest $(DEMO)/estate
	$(U) $(CL) link --estate $(DEMO)/estate
	$(U) $(BIN)/caselens vault keygen > $(DEMO)/vault.key
	$(U) $(CLK) redact all --index
	$(U) $(CLK) users demo --families 20 --out $(DEMO)/users.yaml | tee $(DEMO)/tokens.txt
	$(U) $(CLK) subjects --user demo-social-worker --json > $(DEMO)/subjects.json
	$(U) subject=$$($(BIN)/python -c "import json; print(json.load(open('$(DEMO)/subjects.json'))[0]['family_id'])"); \
	  $(CLK) ask --user demo-social-worker --subject $$subject "$(Q1)" && \
	  $(CLK) ask --user demo-social-worker --subject $$subject "$(Q2)" && \
	  $(CLK) ask --user demo-social-worker --subject $$subject "$(Q3)"
	$(U) $(CLK) leaks scan
	# The Word draft is re-identified for its SEND officer: a leaks scan after this step
	# reports it (by design, it holds the child's name), so the scan above runs first.
	$(U) $(CLK) ehcp children --user demo-send-officer --json > $(DEMO)/send-children.json
	$(U) child=$$($(BIN)/python -c "import json; print(json.load(open('$(DEMO)/send-children.json'))[0]['child'])"); \
	  $(CLK) ehcp draft --user demo-send-officer --child $$child --docx $(DEMO)/ehcp-draft.docx
	@echo "Chat panel: tokens above (also in $(DEMO)/tokens.txt)."
	@if [ -t 0 ] && [ "$(DEMO_SERVE)" != "0" ]; then \
	  echo "Starting the server (Ctrl-C to stop)"; umask 077; $(CLK) serve; \
	else \
	  echo "Not a terminal: start the chat panel yourself with"; \
	  echo "  CASELENS_DATA_DIR=$(DEMO) CASELENS_USERS_PATH=$(DEMO)/users.yaml CASELENS_VAULT_KEY=\$$(cat $(DEMO)/vault.key) $(BIN)/caselens serve"; \
	fi

test: install
	# Browser tests drive Debian's Chromium; without root/apt they are skipped, saying why.
	command -v /usr/bin/chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium unavailable: browser tests will be skipped"
	# Splink on Spark (CASELENS_LINK_BACKEND=spark) needs Java; without it that test is skipped.
	command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null) || echo "java unavailable: the Spark linkage test will be skipped"
	# Accessibility checks in the browser tests use axe-core from npm; without it they skip.
	test -f build/axe/node_modules/axe-core/axe.min.js || ((command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm >/dev/null)) && npm install --silent --no-audit --no-fund --prefix build/axe axe-core >/dev/null) || echo "axe-core unavailable: accessibility checks will be skipped"
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
