# Two commands for a fresh machine with python3, make and git: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: SQLite, eager Celery, local media, console email, demo logins.
DEMO_ENV := DEBUG=1 THB_ENFORCE_MFA=0

.PHONY: run test bench install lint format migrations-check deploy-check clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# Local development settings; never overwrites an existing .env.
	@test -f .env || printf '# Local development settings (not used by tests or the production image).\nDEBUG=1\n' > .env
	touch $@

install: $(BIN)/.installed

run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py createcachetable
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "THB Portal: open http://$(HOST):$(PORT)/ and sign in with a demo login above."
	@echo ""
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python tools/run_tests.py $(PYTEST_ARGS)

# The benchmark (README, "Benchmark"): SIZE=S|M|L (default M), or SIZES="S L" for the growth too.
SIZE ?= M
bench: install
	$(BIN)/python -m tools.bench --sizes "$(or $(SIZES),$(SIZE))"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/check_local_imports.py
	DEBUG=1 $(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .ruff_cache *.egg-info
