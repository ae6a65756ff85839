# Spiegel — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
export FLASK_APP = wsgi.py

.PHONY: run test install install-test migrate demo translations-extract translations-update translations-compile clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/flask db upgrade heads

demo: migrate
	$(BIN)/flask spiegel demo --if-empty

## Start Spiegel on http://127.0.0.1:5000 with the SQLite default and demo data.
run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Run the whole test suite (every group: unit, flow, PDF, end-to-end).
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Translations: extract → update the catalogs → translate → compile (see README).
translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header --sort-output .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --omit-header --ignore-obsolete

translations-compile: install
	$(BIN)/pybabel compile -d translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache
