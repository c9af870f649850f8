# Co-city — the two commands: `make run` (demo site) and `make test` (whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
LANGS := fr en ar pt zh_Hans

# Variables from a local .env file, if there is one (see .env.example).
-include .env
export

.PHONY: install run demo test lint format messages check clean bench cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

run: install ## Demo site on SQLite with demo content, at http://127.0.0.1:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver $(HOST):$(PORT)

demo: install ## Rebuild the demo content from scratch
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --reset

# The system packages (Chromium, fonts, Pango, gettext, redis-server) first: installed when
# run as root with apt-get, otherwise named with the command that installs them.
test: install ## The whole test suite, browser tests included (PYTEST_ARGS: more pytest options)
	scripts/system_deps.sh
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff (lint + formatting check) and the layers' import contract (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install ## Extract interface strings into locales/ and compile the .mo files
	$(MANAGE) makemessages $(addprefix -l ,$(LANGS)) --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(MANAGE) compilemessages --ignore=.venv

check: install ## Django system checks and migrations up to date
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media test-artifacts

# Under 3 minutes: the demo under the production settings and gunicorn on loopback, loaded by
# wrk (`apt-get install wrk`; a Python generator without it), Redis on 127.0.0.1:6379/4
# (BENCH_REDIS_URL). BENCH_ARGS: e.g. --duration 10 or --bakerydemo PATH (bench/README.md).
bench: install ## Queries, latency and requests/s of each page type, uncached and cached
	$(BIN)/python bench/load.py $(BENCH_ARGS)

# Two gunicorn nodes (production settings) behind haproxy on the local PostgreSQL (database
# cocity_cluster, made afresh: CLUSTER_DATABASE_URL), Redis (db 12, CLUSTER_REDIS_URL),
# media on S3 (moto's server) and the fake Stripe server; Ctrl-C stops it (scripts/cluster.py).
cluster: install ## Two app nodes behind a load balancer, media on S3: https://127.0.0.1:8800
	$(BIN)/python scripts/cluster.py $(CLUSTER_ARGS)
