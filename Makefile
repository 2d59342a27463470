# Jiayuan (家园): run, test and translate. Everything goes through .venv/bin, no activation needed.
#   make demo      install, migrate, load demo data, serve on http://127.0.0.1:8000 (PORT=...)
#   make test      lint, migration check, browser set-up, pytest (SQLite, and PostgreSQL when present)
#   make lint | messages | browser | install | install-dev | clean

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
PORT ?= 8000
# PostgreSQL used by the second test run (pytest-django creates and drops its own test database).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/jiayuan
CHROMIUM := /usr/bin/chromium

.PHONY: help install install-dev demo test lint messages browser clean bench

help:
	@sed -n '2,4p' Makefile | sed 's/^#//'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: '$(PYTHON)' not found. Jiayuan needs Python 3.11 or newer (e.g. make PYTHON=python3.12 ...)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: Jiayuan needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) -c 'import platform; print(platform.python_version())')." >&2; \
	  echo "       Install a newer Python and run e.g. 'make PYTHON=python3.12 $(MAKECMDGOALS)'." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamp files: pip runs again only when pyproject.toml is newer than the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/jiayuan migrate --noinput
	$(BIN)/jiayuan collectstatic --noinput -v0
	$(BIN)/jiayuan load_demo
	$(BIN)/jiayuan serve --port $(PORT)

lint: install-dev
	$(BIN)/ruff check jiayuan

# Debian's Chromium and CJK fonts for the Playwright tests (never `playwright install`).
browser:
	@if [ -x $(CHROMIUM) ] && { dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v dpkg >/dev/null; }; then \
	  echo "browser: $(CHROMIUM) present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "browser: installing chromium and fonts-noto-cjk with apt-get (a few minutes the first time)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk </dev/null >/dev/null \
	    && echo "browser: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ -x $(CHROMIUM) ]; then \
	  echo "warning: fonts-noto-cjk is missing; Chinese text in screenshots will show as boxes (sudo apt-get install fonts-noto-cjk)." >&2; \
	else \
	  echo "warning: $(CHROMIUM) is missing and we are not root: end-to-end browser tests will be SKIPPED." >&2; \
	  echo "         Install it with: sudo apt-get install chromium fonts-noto-cjk" >&2; \
	fi

# With CI set (or JIAYUAN_TEST_BOTH_DATABASES=1) the suite runs on PostgreSQL and on SQLite; locally
# it runs on SQLite, plus PostgreSQL when one answers on 127.0.0.1:5432. Extra pytest arguments: PYTEST_ARGS.
test: install-dev browser
	$(BIN)/ruff check jiayuan
	env -u DATABASE_URL $(BIN)/jiayuan makemigrations --check --dry-run
	@both=0; \
	if [ -n "$${CI:-}" ] || [ "$${JIAYUAN_TEST_BOTH_DATABASES:-}" = 1 ]; then both=1; \
	elif $(BIN)/python -c 'import psycopg; psycopg.connect("$(TEST_POSTGRES_URL)".rsplit("/", 1)[0] + "/postgres", connect_timeout=2).close()' >/dev/null 2>&1; then both=1; \
	else echo "== PostgreSQL does not answer on 127.0.0.1:5432: testing on SQLite only"; fi; \
	export JIAYUAN_TEST_DB_SUFFIX=$$(printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1); \
	status=0; pg=skipped; \
	if [ $$both = 1 ]; then \
	  echo "== pytest on PostgreSQL ($(TEST_POSTGRES_URL), test database test_jiayuan_$$JIAYUAN_TEST_DB_SUFFIX)"; \
	  if DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS); then pg=passed; else pg=FAILED; status=1; fi; \
	fi; \
	echo "== pytest on SQLite (DATABASE_URL unset; in-memory test database)"; \
	if env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS); then lite=passed; else lite=FAILED; status=1; fi; \
	echo "== results: PostgreSQL $$pg, SQLite $$lite"; \
	exit $$status

# Translations: the compiled .mo files are committed so the demo works without gettext installed.
messages: install-dev
	mkdir -p jiayuan/locale
	cd jiayuan && ../$(BIN)/jiayuan makemessages -l zh_Hans --no-obsolete -i 'migrations/*'
	cd jiayuan && ../$(BIN)/jiayuan compilemessages

clean:
	rm -rf .pytest_cache .ruff_cache test-results
	find jiayuan -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmarks (issue 3) against PostgreSQL: a harness, not tests. Appends to bench/RESULTS.md.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--residents 100000 --only list,search".
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
