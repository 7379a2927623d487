# Tongban — the two commands a newcomer needs are `make run` and `make test`; both set everything up.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
TONGBAN := $(VENV)/bin/tongban

.PHONY: help setup run test lint typecheck imports pytest lock messages clean bench

help:
	@echo "make run    set up, migrate, load demo data, serve on http://127.0.0.1:8000 with worker and clock"
	@echo "make test   set up, then ruff, mypy, import-linter, pytest on SQLite and on PostgreSQL"
	@echo "make setup  only the set-up (venv, locked dependencies, Debian packages as root, front-end assets)"
	@echo "make lock   re-resolve requirements/lock.txt from pyproject.toml"

setup:
	@bash scripts/setup.sh

run: setup
	$(TONGBAN) run

test: setup
	@bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy src tests

imports: setup
	$(VENV)/bin/lint-imports

pytest: setup
	$(VENV)/bin/pytest

lock: setup
	$(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements/lock.txt pyproject.toml

messages: setup
	cd src/tongban && ../../$(TONGBAN) makemessages -l zh_Hans --no-obsolete --no-location --ignore 'tests/*'
	$(TONGBAN) compile_translations

clean:
	rm -rf $(VENV) frontend/node_modules build *.egg-info

bench: setup
	@bash scripts/bench.sh
