# duecourse — two set-up commands: `make run` and `make test`. Both build .venv when it is
# missing or older than the lock file.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.duecourse-installed
UV_VERSION := 0.13.9
ACCOUNTS ?= 20000
SEED ?= 7
DATA_DIR ?= .duecourse/sample
DB ?= sqlite:///duecourse.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv run serve system-deps test test-unit test-integration lint bench lock clean message-model

venv: $(STAMP)

# Packages are installed compiled to bytecode: where nothing may write it at import time
# (PYTHONDONTWRITEBYTECODE, a read-only venv), every command would otherwise compile its
# imports from source again (the daily run's imports: 3.2 s instead of 1.1 s).
$(STAMP): requirements.lock pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/duecourse sample --accounts $(ACCOUNTS) --seed $(SEED) $(DATA_DIR)
	$(BIN)/duecourse --db $(DB) import $(DATA_DIR)
	$(BIN)/duecourse --db $(DB) facts --summary
	@mkdir -p .duecourse
	$(BIN)/duecourse --db $(DB) run --output .duecourse/plan.parquet
	@echo
	@echo "借款人页面 Borrower pages: make serve, then open http://$(HOST):$(PORT)/ (English: http://$(HOST):$(PORT)/?lang=en);"
	@echo "API: POST /api/assess, /api/check-message, /api/check-contact; OpenAPI at http://$(HOST):$(PORT)/openapi.json"

# The borrower's pages and the JSON API (Ctrl-C stops it).
serve: $(STAMP) system-deps
	$(BIN)/duecourse serve --host $(HOST) --port $(PORT)

# Debian packages for the browser tests and the letters' PDF (chromium, CJK fonts, pango).
system-deps:
	@bash .ci/system-deps

test: $(STAMP) lint system-deps
	$(BIN)/python -m pytest -n 2 tests

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/simulate_day.py
	$(BIN)/python bench/simulate_arms.py

# The message checker's learned layer, trained on the development part of the corpus only
# (deterministic; prints the leave-one-file-out figures; about two minutes).
message-model: $(STAMP)
	$(BIN)/python tools/train_message_model.py

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -p 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .duecourse duecourse.db
