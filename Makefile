# Two commands set everything up on a machine with only Python 3.11+:
#   make run   the portal with demo data on 127.0.0.1:8000, with a Celery worker and beat
#   make test  the whole test suite
# With DATABASE_URL / REDIS_URL set, both use PostgreSQL and Redis instead of SQLite and the
# embedded filesystem broker.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=$${DEBUG:-true}
# Tests run with the development defaults (pytest-django still turns DEBUG off inside tests).
TEST_ENV := DEBUG=true LOG_FORMAT=text DB_CONN_MAX_AGE=0 CACHE_BACKEND=locmem
# The suite runs on every core (pytest-xdist); the integration tests share one worker (loadgroup).
# `make test PYTEST_XDIST=` runs it in one process.
PYTEST_XDIST ?= -n auto --dist loadgroup

.PHONY: install run test lint format messages bench bench-load security clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py compile_translations
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Portal on http://127.0.0.1:8000/  (staff: /staff/, admin: /admin/, API: /api/docs/)"
	@# One worker for every queue (no -Q: it consumes all of CELERY_TASK_QUEUES), beat embedded.
	@trap 'kill 0' INT TERM EXIT; \
	$(DEV_ENV) $(BIN)/celery -A config worker -B --loglevel=INFO --concurrency=1 & \
	$(DEV_ENV) $(BIN)/python manage.py runserver --noreload 127.0.0.1:8000

test: install
	$(TEST_ENV) $(BIN)/python manage.py compile_translations
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh locale/zh_Hans from the code (needs GNU gettext's xgettext).
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench

# Static security scan: bandit must find no high-severity issue in our code.
security: install
	$(BIN)/bandit -r accounts activities appraisal assessment branches charts committees community config demo dues governance grids members points regional reports selfservice venues volunteers -lll -q

# Timed benchmarks (pytest, throw-away test database), then the load benchmark: gunicorn on a
# seeded PostgreSQL bench database, ~50 requests/s per endpoint, every page cached and uncached
# beside its SQL floor (bench/load.py, results in bench/results/latest.json), then report builds
# on a throw-away streaming replica beside booking load (bench/replica.py, on the same bench
# database; `LOAD_ARGS=--small` for a small one). Not part of `make test`. Every part runs even
# when an earlier one missed a goal (each prints ok/MISSED and the load average beside its
# figures); the exit status is 1 if any part failed.
bench: install
	@# The roster import reads Chinese headings and labels: the catalogues must be compiled.
	$(TEST_ENV) $(BIN)/python manage.py compile_translations
	@status=0; \
	$(TEST_ENV) $(BIN)/python -m pytest bench $(PYTEST_ARGS) || status=1; \
	$(BIN)/python bench/load.py $(LOAD_ARGS) || status=1; \
	$(BIN)/python bench/replica.py --skip-seed $(filter --small,$(LOAD_ARGS)) $(REPLICA_ARGS) \
		|| status=1; \
	exit $$status

bench-load: install
	$(TEST_ENV) $(BIN)/python manage.py compile_translations
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf var .pytest_cache
