# Supportal: make run · make test · make lint · make bench
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make test ends with every bench step at a tiny size: a step that fails, fails the tests.
# Sizes and databases the caller may have exported for a real run are left out of it.
BENCH_SMOKE_ENV := -u DATABASE_URL -u BENCH_DATABASE_URL -u KB_BENCH_POSTGRES_URL -u BENCH_N \
	-u BENCH_REQUESTS -u BENCH_SUBMISSIONS -u BENCH_ONLY BENCH_SMOKE=1 BENCH_HELPDESK=

# The suites whose rules depend on the calendar, and the moments `make test-dates` runs them
# from: a Saturday between Madrid's and Chicago's autumn clock changes (Sunday's Chicago
# change falls inside the weekend's business-time sums), and the last day of a quarter a few
# days after both spring changes.
DATE_SUITES := tests/sla tests/billing tests/reports tests/chat/test_eligibility.py tests/news
TEST_MOMENTS := 2026-10-31T18:00:00+00:00 2027-03-31T16:00:00+00:00

.PHONY: run test test-dates test-sqlite test-postgres lint format bench install clean catalogs messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) catalogs

# Translations: each app's locale/<lang>/LC_MESSAGES/*.po compiled to .mo (Babel, no gettext
# needed); `make messages` extracts the marked strings again (needs GNU gettext's xgettext).
catalogs: $(STAMP)
	$(BIN)/python -m supportal.core.catalogs

messages: $(STAMP)
	$(BIN)/python -m supportal.core.messages

run: $(STAMP) catalogs
	$(BIN)/supportal migrate --noinput -v 0
	$(BIN)/supportal demo --if-empty
	$(BIN)/supportal serve

# The SQLite pass leaves the PostgreSQL-only tests to the pass on PostgreSQL, when there is one:
# in CI (CI=true) a PostgreSQL, Redis or browser test that skips fails the run (tests/conftest.py).
POSTGRES_LATER := $(if $(filter postgres%,$(DATABASE_URL)),1,)

test: $(STAMP) catalogs
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL SUPPORTAL_TEST_POSTGRES_ELSEWHERE=$(POSTGRES_LATER) \
		$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== test suite on $${DATABASE_URL%%:*} =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi
	@echo "== make bench, smoke run (tiny sizes, SQLite, no django-helpdesk) =="
	env $(BENCH_SMOKE_ENV) $(BIN)/python bench/run.py

test-dates: $(STAMP) catalogs
	@for moment in $(TEST_MOMENTS); do \
		echo "== date-sensitive suites from $$moment (SQLite) =="; \
		SUPPORTAL_TEST_NOW=$$moment SUPPORTAL_TEST_POSTGRES_ELSEWHERE=$(POSTGRES_LATER) \
			env -u DATABASE_URL \
			$(BIN)/python -m pytest -q $(DATE_SUITES) $(PYTEST_ARGS) || exit 1; \
	done

# mypy reads its configuration (strict on supportal/, the exceptions and why) from pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) catalogs
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/test-*
