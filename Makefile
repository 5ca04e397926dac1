# Jobunivers. The two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_CONCURRENCY ?= 2
PYTHON ?= python3
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST := $(VENV)/bin/pytest
# Test processes (pytest-xdist): one per core; each has its own test database. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run serve setup system-packages deps assets migrate demo test test-postgres test-celery test-api e2e lint bench loadtest eval eval-assistant eval-titles messages openapi clean help chromium

help:
	@echo "make run    - set up everything (first time) and serve http://$(HOST):$(PORT) with worker and scheduler"
	@echo "make test   - the whole test suite on SQLite, no outside services"
	@echo "make e2e    - browser and accessibility tests in headless Chromium"
	@echo "make lint   - ruff, mypy, app boundaries, migrations and OpenAPI drift"
	@echo "make bench  - benchmarks, one JSON line each, results in bench/results/"
	@echo "make loadtest - one node under stepped load (PostgreSQL, Redis), results in bench/results/loadtest.json"

$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11"; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==0.13.8"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "node and npm are needed: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	node scripts/build-assets.mjs
	@touch $@

deps: $(VENV)/.synced node_modules/.installed

# collectstatic hashes and compresses every file (over a minute): only when a static file, the vendored
# assets or the Python packages (admin's files) changed, not on every make target.
STATIC_SOURCES := $(shell find static jobunivers -path '*/static/*' -type f -not -path 'static/vendor/*' 2>/dev/null)
staticfiles/.collected: static/vendor/.built $(VENV)/.synced $(STATIC_SOURCES)
	@$(MANAGE) collectstatic --noinput -v0
	@touch $@

assets: staticfiles/.collected $(VENV)/.synced
	@$(MANAGE) compile_translations

# xmlsec1 signs and verifies SAML messages (MitID through NemLog-in).
system-packages:
	@command -v xmlsec1 >/dev/null || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing xmlsec1 (SAML signatures)"; \
	    (apt-get install -y -qq xmlsec1 >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null; }); \
	  else echo "MitID login needs xmlsec1: sudo apt-get install xmlsec1"; exit 1; fi; }

setup: system-packages deps assets
	@mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail var/private

migrate: setup
	$(MANAGE) migrate --noinput -v0

demo: migrate
	$(MANAGE) demo

run: demo
	@echo "Serving http://$(HOST):$(PORT) (web, worker and scheduler; Ctrl-C stops all)"
	HOST=$(HOST) PORT=$(PORT) WEB_CONCURRENCY=$(WEB_CONCURRENCY) $(VENV)/bin/honcho start -f Procfile

test: setup
	$(PYTEST) -q -p no:randomly -n $(TEST_WORKERS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The same suite against PostgreSQL; pytest-django creates and drops test_<name> itself.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/jobunivers_ci
test-postgres: setup
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST) -q --create-db -n $(TEST_WORKERS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

# Background tasks through a real Celery worker with Redis as broker (the production path).
REDIS_BROKER_URL ?= redis://127.0.0.1:6379/15
test-celery: setup
	DATABASE_URL=$(POSTGRES_URL)_celery CELERY_BROKER_URL=$(REDIS_BROKER_URL) CELERY_TASK_ALWAYS_EAGER=0 \
	  $(PYTEST) -q --create-db -m celery_worker; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

# The API against its committed schema: gunicorn on a free loopback port over a fresh SQLite database
# with demo data, schemathesis (.ci/schemathesis.toml), server stopped by the script. About two minutes.
test-api: setup
	$(PY) scripts/test_api.py

chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

e2e: setup chromium
	$(PYTEST) -q -m e2e tests/e2e -p no:randomly -n $(TEST_WORKERS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; fi; exit $$rc

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy jobunivers config
	$(PYTEST) -q tests/architecture
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) openapi_schema --check docs/openapi.json

openapi: setup
	$(MANAGE) openapi_schema docs/openapi.json

bench: setup
	$(PY) bench/run.py $(BENCH)

# One node under load (issue 14): gunicorn with production settings on PostgreSQL and Redis (db 5),
# locust stepping 25 -> 50 -> 100 -> 200 users; both started and stopped by the script. ~10 min the
# first time (data and sessions are made once). Results in bench/results/loadtest.json.
loadtest: setup
	$(PY) bench/loadtest.py

eval: setup
	$(PY) bench/run.py eval
	$(MAKE) --no-print-directory eval-assistant

# The assistant's answers on the test half of its labelled questions (recall@1/@3, wrong answers, hand-offs),
# on a database of its own with the national cards imported (vectors computed the first time).
ASSISTANT_EVAL_DB ?= sqlite:///$(CURDIR)/var/bench/assistant-eval.sqlite3
eval-assistant: setup
	@mkdir -p var/bench
	DATABASE_URL=$(ASSISTANT_EVAL_DB) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(ASSISTANT_EVAL_DB) $(MANAGE) assistant_eval --import

# The Danish job-title look-up alone (accuracy@1/@5, overall and unseen), without a database: about a
# minute once the occupations' vectors are in var/bench/ (the first run embeds them). ARGS=--misses lists errors.
eval-titles: setup
	$(PY) bench/eval_titles.py $(ARGS)

# Refresh the Danish catalogues after changing texts (needs GNU gettext's xgettext).
messages: setup
	@for app in jobunivers/*/; do \
	  if [ -d $$app/locale ]; then (cd $$app && ../../$(PY) ../../manage.py makemessages -l da -v0 --ignore 'tests/*'); fi; done
	$(MANAGE) makemessages -l da -v0 --ignore 'jobunivers/*' --ignore '.venv/*' --ignore 'node_modules/*' --ignore '.tools/*' --ignore 'tests/*' --ignore 'bench/*'

clean:
	rm -rf var staticfiles static/vendor
