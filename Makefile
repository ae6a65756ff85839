# Spiegel — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi.py

.PHONY: run serve test lint install install-test install-axe migrate demo translations-extract translations-update translations-compile clean

# axe-core (accessibility checks of the end-to-end tests) from the npm registry, kept inside the venv.
AXE_VERSION = 4.14.1
AXE_DIR     = $(VENV)/axe-core
AXE_JS      = $(AXE_DIR)/node_modules/axe-core/axe.min.js

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

$(AXE_DIR)/.installed-$(AXE_VERSION):
	npm install --silent --no-audit --no-fund --no-save --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-axe: $(AXE_DIR)/.installed-$(AXE_VERSION)

migrate: install
	$(BIN)/flask db upgrade heads

demo: migrate
	$(BIN)/flask spiegel demo --if-empty

## Start Spiegel on http://127.0.0.1:5000 with the SQLite default and demo data, and the queue's
## worker (PDFs) beside it on the embedded SQLite queue; Ctrl-C stops both.
run: demo
	$(BIN)/flask spiegel worker --workers 2 & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## What production runs, on the embedded default: gunicorn (WEB_WORKERS processes) and the queue's
## workers (QUEUE_WORKERS processes: how many PDFs render at once). Set SPIEGEL_* as in the README.
WEB_WORKERS   ?= 4
QUEUE_WORKERS ?= 2
serve: migrate
	$(BIN)/flask spiegel worker --workers $(QUEUE_WORKERS) & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WEB_WORKERS) --bind 127.0.0.1:8000 --timeout 60 wsgi:app

## Run the whole test suite (every group: unit, flow, PDF, end-to-end).
test: install-test install-axe
	SPIEGEL_AXE_JS=$(abspath $(AXE_JS)) $(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint with ruff (rules in pyproject.toml); `.ci/run` runs it before the tests.
lint: install-test
	$(BIN)/ruff check .

## Translations: extract → update the catalogs → translate → compile (see README).
translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header --sort-output .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100

translations-compile: install
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache
