# Supportal: make run · make test · make lint · make bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make test ends with every bench step at a tiny size: a step that fails, fails the tests.
# Sizes and databases the caller may have exported for a real run are left out of it.
BENCH_SMOKE_ENV := -u DATABASE_URL -u BENCH_DATABASE_URL -u KB_BENCH_POSTGRES_URL -u BENCH_N \
	-u BENCH_REQUESTS -u BENCH_SUBMISSIONS -u BENCH_ONLY BENCH_SMOKE=1 BENCH_HELPDESK=

.PHONY: run test test-sqlite test-postgres lint format bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/supportal migrate --noinput -v 0
	$(BIN)/supportal demo --if-empty
	$(BIN)/supportal serve

test: $(STAMP)
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== test suite on $${DATABASE_URL%%:*} =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi
	@echo "== make bench, smoke run (tiny sizes, SQLite, no django-helpdesk) =="
	env $(BENCH_SMOKE_ENV) $(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/test-*
