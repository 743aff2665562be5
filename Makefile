# The two promises of the README: `make run` and `make test` each do all set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
LOCALSTRIPE_PORT ?= 8420
STAMP := $(VENV)/.installed

.PHONY: run test lint format install migrate demo bench clean css audit frontend

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var/media var/static

migrate: install var
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

# Serves the store with demo data on http://$(HOST):$(PORT) (SQLite, DEBUG on), with a local
# fake Stripe (localstripe) on loopback so checkout works without the internet.
run: demo
	@bin/run-local $(HOST) $(PORT) $(LOCALSTRIPE_PORT)

test: install var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) bench/pages.py

# Node tools for the shopper CSS and the accessibility/performance audit, installed into
# frontend/node_modules (git-ignored). `make run` does not need them: the CSS is committed.
FRONTEND_STAMP := frontend/node_modules/.installed
$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $(FRONTEND_STAMP)

frontend: $(FRONTEND_STAMP)

# Rebuilds static/css/store.css from frontend/scss/ and static/css/*.css (commit the result).
css: frontend
	cd frontend && npm run --silent css

# Lighthouse scores of the shopper pages under gunicorn with production settings.
audit: install frontend
	$(PY) bench/audit.py

clean:
	rm -rf $(VENV) var
