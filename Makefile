# Two commands: `make run` (demo database + dashboard on :8501) and `make test` (the whole suite, in parallel on
# every core: pytest-xdist; docs/development/testing.md).
# `make docs` builds the documentation site (mkdocs.yml, docs/) into site/; `make test` builds it too, strictly.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
DB ?= data/bsc.duckdb
PORT ?= 8501
MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict

.PHONY: run test demo bench bench-large lint docs clean

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
	$(BIN)/python -m pytest -n auto

demo: $(STAMP)
	$(BIN)/python -m pipelines --db $(DB) demo --force

# `make bench` writes bench/results/bench.md and .json (upload cost at the demo size and 1M, bench/run_all.py) after
# the other scripts' printed figures; the 1M database is built once under bench/out/ and reused.
# `make bench-large` adds the 5M database (opt-in: about 50 s to build), each page's browser time-to-render and the
# page runs of 10/25/50 websocket sessions at 5M (bench/browser_render.py, bench/sessions.py, run by run_all.py: at
# most 25 + 20 minutes), and the limits of one file at 5M (bench/concurrency.py: 8 concurrent writers, the server's
# peak memory; about 10 minutes).
bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/attack_uploads.py
	$(BIN)/python bench/scores.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/sql_page.py
	$(BIN)/python bench/forecast_refresh.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/snapshot_generation.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/strategy_pages.py --json bench/results/strategy_pages.json
	$(BIN)/python bench/run_all.py demo 1M

bench-large: $(STAMP)
	$(BIN)/python bench/run_all.py demo 1M 5M
	$(BIN)/python bench/concurrency.py --size 5M --only uploads,rss --json bench/results/concurrency_5M.json

docs: $(STAMP)
	$(MKDOCS)

lint: $(STAMP)
	$(BIN)/python -m ruff check pipelines dashboard tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache site
