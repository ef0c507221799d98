# Two commands: `make run` (demo database + dashboard on :8501) and `make test` (the whole suite).
# `make docs` builds the documentation site (mkdocs.yml, docs/) into site/; `make test` builds it too, strictly.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
DB ?= data/bsc.duckdb
PORT ?= 8501
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict

.PHONY: run test demo bench lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/python -m pipelines --db $(DB) demo

run: $(STAMP) $(DB)
	$(BIN)/python -m pipelines --db $(DB) init
	BSC_DB=$(DB) $(BIN)/streamlit run dashboard/server.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(STAMP)
	$(BIN)/python -m ruff check pipelines dashboard tests bench
	$(MKDOCS)
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/python -m pipelines --db $(DB) demo --force

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/attack_uploads.py
	$(BIN)/python bench/scores.py
	$(BIN)/python bench/make_large_db.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/sql_page.py
	$(BIN)/python bench/forecast_refresh.py
	$(BIN)/python bench/snapshot_generation.py

docs: $(STAMP)
	$(MKDOCS)

lint: $(STAMP)
	$(BIN)/python -m ruff check pipelines dashboard tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache site
