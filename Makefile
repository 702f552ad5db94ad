# mchch — run `make help` for the targets.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
YEAR ?= 2561
# the years `make reports` runs, in order: a later year compares itself with the earlier ones
YEARS ?= 2561 2562
JOBS ?=
SRC := mchch_lib tests benchmarks tools

.DEFAULT_GOAL := help
.PHONY: help install reports national test test-browser test-fast lint format validate sample lab labext bench bench-national clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

LABEXT := share/jupyter/labextensions/mchch-thai

# the prebuilt JupyterLab extension is copied into the venv at install: reinstall when it changes
$(STAMP): pyproject.toml $(LABEXT)/package.json
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv (if missing) and install mchch with its dependencies

reports: $(STAMP) ## Run the batch on the sample data of each year, 2561 then 2562 (reports/<year>/)
	@for y in $(YEARS); do \
		echo "== mchch run params/$$y.yaml"; \
		$(BIN)/mchch run params/$$y.yaml $(if $(JOBS),--jobs $(JOBS),) || exit $$?; \
	done
	@echo "reports of $(YEARS): $(foreach y,$(YEARS),reports/$(y)/)"

# the national sample (every district of the country, a few missing): generated once, ignored
NATIONAL_SAMPLE := data/national/2561
EXECUTOR ?= local

national: $(STAMP) ## Every province and the nation: national sample (made if absent), then its batch (reports/2561/national.pdf, provinces/)
	@test -d $(NATIONAL_SAMPLE) || $(BIN)/python -m mchch_lib.sample --national
	$(BIN)/mchch run params/national-2561.yaml --allow-errors --executor $(EXECUTOR) $(if $(JOBS),--jobs $(JOBS),)
	@echo "national: reports/2561/national.pdf, national.xlsx, provinces/<code>_<name>/"

validate: $(STAMP) ## Validate the sample workbooks and print the problems
	$(BIN)/mchch validate data/sample/$(YEAR)

test: $(STAMP) ## Run the test suite (lint, then every test)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

CHROMIUM ?= /usr/bin/chromium

test-browser: $(STAMP) ## mchch app in headless Chromium (needs Debian's chromium: apt-get install -y chromium)
	@test -x $(CHROMIUM) || { echo "test-browser: $(CHROMIUM) is missing: apt-get install -y chromium"; exit 1; }
	$(BIN)/python -m pip install -q -e '.[browser]'
	MCHCH_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q -s -o addopts="" tests/browser -p no:cacheprovider

test-fast: $(STAMP) ## The inner loop: every test but the end-to-end ones (tests/end_to_end/, and any marked slow)
	$(BIN)/python -m pytest -q -n 2 --ignore=tests/end_to_end -m "not slow"

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format $(SRC)
	$(BIN)/ruff check --fix $(SRC)

sample: $(STAMP) ## Regenerate the sample workbooks of 2561 and 2562 (deterministic)
	$(BIN)/python -m mchch_lib.sample

lab: $(STAMP) ## Start JupyterLab on the planners' explorer (Thai in the bundled Sarabun)
	@$(BIN)/jupyter labextension list 2>&1 | grep -q "mchch-thai.*enabled" \
		|| { echo "the mchch-thai JupyterLab extension is not installed: rm $(STAMP); make install"; exit 1; }
	$(BIN)/jupyter lab notebooks/explore.ipynb

labext: $(STAMP) ## Rebuild the JupyterLab extension (needs node and npm; the build is committed)
	$(BIN)/python tools/build_labextension.py
	$(BIN)/python -m pip install -q -e . --no-deps

bench: $(STAMP) ## Benchmark the batch against the naive CLI pipeline
	$(BIN)/python benchmarks/bench_run.py

bench-national: $(STAMP) ## Benchmark the national run (EXECUTOR=dask for a LocalCluster)
	$(BIN)/python benchmarks/bench_national.py --executor $(EXECUTOR)

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/[0-9]* data/processed .pytest_cache .hypothesis
